import { defineBuild } from '../../tooling/tsup/base';

export default defineBuild({
  entry: { main: 'src/main.ts' },
  shebang: true,
  splitting: true,
  bundleDependencies: true,
});
