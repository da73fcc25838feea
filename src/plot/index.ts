export { VEGA_LITE_SCHEMA, type VegaLiteSpec, type PlotOptions } from './spec.js';
export { pointsSpec, type ScatterOptions } from './points.js';
export { mixtureSpec, componentsInUse, IN_USE_WEIGHT, type MixtureLike, type MixtureSpecOptions } from './mixture.js';
export { boundSpec, type BoundSpecOptions } from './bound.js';
export { tilesSpec, type TilesSpecOptions } from './tiles.js';
export { ellipseContour, type Ellipse2D } from './ellipse.js';
export { principalAxes, projectPoints, projectGaussian } from './project.js';
export { sequenceSpec, type SequenceSpecOptions } from './sequence.js';
