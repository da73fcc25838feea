export { scatterSvg, lineSvg, tilesSvg, colour, type Ellipse2D, type ScatterOptions, type LineOptions, type TilesOptions } from './svg.js';
export { principalAxes, projectPoints, projectGaussian } from './project.js';
export { mixtureSvg, type MixtureLike } from './mixture.js';
