/** What `git mailinfo -u` reads from a mail: the commit's author, date and message, and the patch. */
export interface PlainMail {
  readonly author: string;
  readonly email: string;
  readonly date: string;
  /** The subject as `git am` commits it (`[PATCH …]`, `Re:` and surrounding blanks removed). */
  readonly subject: string;
  /** The message body (UTF-8), trailing blanks trimmed. */
  readonly body: string;
  /** From the line that starts the patch to the end, byte for byte. */
  readonly patch: Uint8Array;
}

/** The most header bytes read before giving up (format-patch headers are a few hundred bytes). */
const MAX_HEADER_BYTES = 16_384;
/** A header field as `git mailinfo` recognizes one (RFC 2822 `ftext` up to a colon). */
const HEADER_FIELD = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/s;
/** `Name <user@host>` with a name of plain characters. */
const SIMPLE_FROM = /^([A-Za-z0-9][A-Za-z0-9 .'_+-]*?) *<([^\s<>@"()\\,;:]+@[^\s<>@"()\\,;:]+)>$/;
const PLAIN_CONTENT_TYPE = /^text\/plain(?:; *charset="?utf-8"?)?$/i;

/**
 * Reads a mail the way `git mailinfo -u` does (no `-k`, `-b`, `-m`, `--scissors`), in process,
 * when the mail is one of the plain ones `git format-patch` writes: ASCII headers without encoded
 * words, no MIME parts, an 8bit or 7bit UTF-8 or ASCII body, no CR or NUL, an author `Name <email>`,
 * and a body whose first line cannot be an in-body header. For anything else it returns undefined,
 * and the caller runs `git mailinfo` itself: this saves a process per mail, never changes a result
 * (test/read-plain-mail.test.ts compares both on varied mails).
 */
export function readPlainMail(mail: Uint8Array): PlainMail | undefined {
  const bytes = Buffer.from(mail.buffer, mail.byteOffset, mail.byteLength);
  if (bytes.length === 0 || bytes.at(-1) !== 0x0a || bytes.includes(0x0d) || bytes.includes(0))
    return undefined;
  const headerEnd = bytes.indexOf('\n\n', 0, 'latin1');
  if (headerEnd < 0 || headerEnd > MAX_HEADER_BYTES) return undefined;
  const headers = readHeaders(bytes.subarray(0, headerEnd + 1).toString('latin1'));
  if (headers === undefined) return undefined;
  const from = SIMPLE_FROM.exec(headers.get('from') ?? '');
  const subject = cleanSubject(headers.get('subject') ?? '');
  const date = collapseSpace(headers.get('date') ?? '');
  const contentType = headers.get('content-type');
  const encoding = headers.get('content-transfer-encoding');
  if (from === null || subject === '' || date === '') return undefined;
  if (contentType !== undefined && !PLAIN_CONTENT_TYPE.test(contentType)) return undefined;
  if (encoding !== undefined && !/^(?:7bit|8bit)$/i.test(encoding)) return undefined;
  const author = collapseSpace(from[1] ?? '').trim();
  if (author === '' || author.length > 60) return undefined;

  const body = readBody(bytes, headerEnd + 2);
  if (body === undefined) return undefined;
  return { author, email: from[2] ?? '', date, subject, body: body.message, patch: body.patch };
}

/**
 * The header fields, by lower-case name, folded lines unfolded as mailinfo does (each
 * continuation's first blank becomes one space); undefined for anything mailinfo would read
 * differently: a line that is no field, a non-ASCII byte, an encoded word, a repeated field.
 */
function readHeaders(text: string): Map<string, string> | undefined {
  if (/[^\x20-\x7e\n\t]/.test(text) || text.includes('=?')) return undefined;
  const lines = text.split('\n').slice(0, -1);
  const fields = new Map<string, string>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (index === 0 && line.startsWith('From ')) continue;
    const match = HEADER_FIELD.exec(line.trimEnd());
    if (match === null) return undefined;
    let value = match[2] ?? '';
    while (/^[ \t]/.test(lines[index + 1] ?? '')) {
      index++;
      value += ` ${(lines[index] ?? '').slice(1)}`.trimEnd();
    }
    const name = (match[1] ?? '').toLowerCase();
    if (['from', 'subject', 'date', 'content-type', 'content-transfer-encoding'].includes(name)) {
      if (fields.has(name)) return undefined;
      fields.set(name, value);
    }
  }
  return fields;
}

/**
 * The message up to the line that starts the patch (mailinfo's `patchbreak`: `diff -`, `Index: `,
 * `--- <name>` or a `---` separator), leading empty lines skipped; undefined when the first line
 * could be an in-body header or a line could be a scissors line.
 */
function readBody(bytes: Buffer, start: number): { message: string; patch: Uint8Array } | undefined {
  let position = start;
  while (bytes[position] === 0x0a) position++;
  const lines: string[] = [];
  let first = true;
  while (position < bytes.length) {
    const end = bytes.indexOf(0x0a, position) + 1;
    const line = bytes.subarray(position, end).toString('latin1');
    if (first && /^(?:[\x21-\x39\x3b-\x7e]+:|>?From[ \t]|\[PATCH\])/i.test(line)) return undefined;
    first = false;
    if (startsPatch(line)) {
      const message = Buffer.from(lines.join(''), 'latin1').toString('utf8').trimEnd();
      return { message, patch: bytes.subarray(position) };
    }
    if (line.includes('>8') || line.includes('8<')) return undefined;
    lines.push(line);
    position = end;
  }
  return undefined;
}

/** mailinfo's `patchbreak` for one line (with its newline). */
function startsPatch(line: string): boolean {
  if (line.startsWith('diff -') || line.startsWith('Index: ')) return true;
  if (line.length < 4 || !line.startsWith('---')) return false;
  if (line[3] === ' ' && !/\s/.test(line[4] ?? '')) return true;
  return /^---\s*\n$/.test(line);
}

/**
 * mailinfo's `cleanup_subject` then `cleanup_space`: leading `Re:`, blanks, colons and `[…]`
 * groups removed, the rest trimmed, every run of blanks made one space.
 */
function cleanSubject(subject: string): string {
  let text = subject;
  for (;;) {
    if (/^re:/i.test(text) && text.length > 3) text = text.slice(3);
    else if (/^[ \t:]/.test(text)) text = text.slice(1);
    else if (text.startsWith('[') && text.includes(']')) text = text.slice(text.indexOf(']') + 1);
    else break;
  }
  return collapseSpace(text.trim());
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ');
}
