import { defineBuild } from '../../tooling/tsup/base';

export default defineBuild({ entry: { index: 'src/index.ts' }, dts: true });
