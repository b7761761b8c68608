import { defineBuild } from '../../tooling/tsup/base';

export default defineBuild({
  // The conversion child runs each conversion in a process of its own (create-isolated-converter.ts).
  entry: { main: 'src/main.ts', 'conversion-child': 'src/conversion-child.ts' },
});
