/**
 * The house rules (docs/ARCHITECTURE.md §1), checked by `npm run lint:deps` inside `npm test`:
 * no import cycles, imports run down the layers only, nothing inside imports the package root,
 * and only the backend room reaches into a backend's implementation (js/, native/, webgpu/);
 * every other room goes through its door (backend/index, select, backend.ts, contract/, and the
 * shared per-family folders hist/, knn/, linear/).
 */
// Rooms by layer: a room may import rooms of its own or a larger number, never a smaller one.
const LAYERS = {
  cli: 0,
  deploy: 1, monitor: 1, interop: 1, distributed: 1, benchmark: 1,
  selection: 2, compose: 2, explore: 2,
  models: 3, cluster: 3, decomposition: 3, preprocessing: 3, imbalance: 3,
  stats: 4, training: 4, metrics: 4, data: 4, ops: 4, report: 4,
  backend: 5,
  core: 6,
};
const rooms = Object.keys(LAYERS);
const below = (level) => rooms.filter((r) => LAYERS[r] < level);

/** One rule per room: it may not import a room of a higher layer (smaller number). */
const layerRules = rooms
  .filter((r) => below(LAYERS[r]).length > 0)
  .map((r) => ({
    name: `layer-${r}`,
    comment: `${r} (layer ${LAYERS[r]}) may not import ${below(LAYERS[r]).join(', ')}: imports run down the layers`,
    severity: 'error',
    from: { path: `^src/${r}/` },
    to: { path: `^src/(${below(LAYERS[r]).join('|')})/` },
  }));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'an import cycle', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-package-root',
      comment: 'src/index.ts is the public surface; inside the package import the module itself',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'backend-door',
      comment: 'outside src/backend, use the door (backend/index, select, backend.ts, contract/, hist/, knn/, linear/), not an implementation',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/backend/' },
      to: { path: '^src/backend/(js|native|webgpu)/' },
    },
    {
      name: 'unknown-room',
      comment: 'a new top-level folder of src/ needs a layer in .dependency-cruiser.cjs and docs/ARCHITECTURE.md',
      severity: 'error',
      from: { path: '^src/[^/]+/' , pathNot: `^src/(${rooms.join('|')})/` },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.d\\.ts$' },
  },
};
