import { describe, expect, it } from 'vitest';
import { parseCommentCommand } from './comment-command';
import { markdownPlainLines } from './markdown-plain-lines';

const command = (body: string) => parseCommentCommand(body, '/srcgit');

describe('markdownPlainLines', () => {
  it('keeps paragraph lines without their indentation', () => {
    expect(markdownPlainLines('Hi\r\n  /srcgit retest  \n\ntext')).toEqual(['Hi', '/srcgit retest', 'text']);
  });

  it.each([
    ['a backtick fence', '```\n/srcgit retest\n```'],
    ['a tilde fence', '~~~\n/srcgit retest\n~~~'],
    ['a fence with an info string', '```shell title="x"\n/srcgit retest\n```'],
    ['a fence indented by 3 spaces', '   ```\n/srcgit retest\n   ```'],
    ['a longer fence, closed only by as long a fence', '````\n```\n/srcgit retest\n````'],
    ['a tilde fence not closed by backticks', '~~~\n```\n/srcgit retest\n~~~'],
    ['an unclosed fence', 'Try this:\n```\n/srcgit retest'],
    ['a fence in a list item', '- run\n  ```\n  /srcgit retest\n  ```'],
    ['a fence opened after a list marker', '1. ```\n   /srcgit retest\n   ```'],
    ['a fence after a quote (not lazy)', '> hi\n```\n\n/srcgit retest\n```'],
    ['an indented block', 'Example:\n\n    /srcgit retest'],
    ['an indented block by a tab', 'Example:\n\n\t/srcgit retest'],
    ['an indented block with blank lines', '\n    x\n\n    /srcgit retest'],
    ['an indented block after a comment line', '<!-- c -->\n    /srcgit retest'],
    ['a quote', '> /srcgit retest'],
    ['a quote indented by 3 spaces', '   > /srcgit retest'],
    ['a lazy quote continuation', '> Please run\n/srcgit retest'],
    ['a nested quote', '> > /srcgit retest'],
    ['a one-line HTML comment', '<!-- /srcgit retest -->'],
    ['a multi-line HTML comment', '<!--\n/srcgit retest\n-->'],
    ['a comment closed by --!>', '<!--\n/srcgit retest\n--!>'],
    ['an unclosed HTML comment', 'hi <!--\n\n/srcgit retest'],
    ['a line holding a comment', '/srcgit retest <!-- x -->'],
    ['a <pre> block', '<pre>\n/srcgit retest\n</pre>'],
    ['a <PRE> block with attributes', '<PRE class="x">\n/srcgit retest\n</PRE>'],
  ])('leaves out %s', (_, body) => {
    expect(command(body)).toBeNull();
  });

  it.each([
    ['after a closed fence', '```\ncode\n```\n/srcgit retest'],
    ['after a closed tilde fence with a longer closer', '~~~\ncode\n~~~~~\n/srcgit retest'],
    ['after a fence whose info string holds a backtick (not a fence)', '```a`b\n/srcgit retest'],
    ['indented by 4 columns inside a paragraph', 'Please\n    /srcgit retest'],
    ['after a quote and a blank line', '> quoted\n\n/srcgit retest'],
    ['after an indented block', '    code\n/srcgit retest'],
    ['after a comment on the line before', '<!-- hi -->\n/srcgit retest'],
    ['after a multi-line comment', '<!--\nhi\n-->\n/srcgit retest'],
    ['after a closed <pre> block', '<pre>\nx\n</pre>\n/srcgit retest'],
  ])('keeps a command %s', (_, body) => {
    expect(command(body)).toMatchObject({ kind: 'command', command: { name: 'retest' } });
  });

  it('does not close a fence with a fence indented by 4 spaces', () => {
    expect(command('```\n    ```\n/srcgit retest\n```')).toBeNull();
  });

  it('ends on any input: linear work on pathological comments', { timeout: 10_000 }, () => {
    const size = 200_000;
    const inputs = [
      '<!--'.repeat(size),
      '<!--\n'.repeat(size),
      '```\n'.repeat(size),
      '> '.repeat(size),
      `${' '.repeat(size)}x`,
      '<!-- a -->'.repeat(size) + '--!>',
      '- '.repeat(size) + '```',
      `${'`'.repeat(size)}\n/srcgit retest`,
      '\t'.repeat(size),
    ];
    for (const input of inputs) expect(Array.isArray(markdownPlainLines(input))).toBe(true);
    expect(command(`${'\n'.repeat(size)}/srcgit retest`)).toMatchObject({ kind: 'command' });
  });
});
