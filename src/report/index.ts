export { barSpec, boxSpec, heatmapSpec, histogramSpec, lineSpec, renderChart, scatterSpec, type ChartSpec } from './charts.js';
export { el, escapeHtml, formatNumber, htmlDocument, table, text, trusted, type Html, type Section } from './html.js';
