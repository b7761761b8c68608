import { defineBuild } from '../../tooling/tsup/base';

// Two entry points sharing modules (CoreError, …): split, so that each class exists once.
export default defineBuild({
  entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
  dts: true,
  splitting: true,
});
