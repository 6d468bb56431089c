/**
 * The layering rules of src/ (DESIGN.md, "Shape of the code"), checked in CI by `npm run depcheck`.
 * Imports point one way: main/cli -> boot -> app -> channels -> web -> features -> minimize ->
 * contracts -> policy -> errors -> lib. Type-only imports count: a type is a dependency too.
 * Folder-level cycles are checked by test/unit/layers/folder-cycles.test.ts (also run by `npm run depcheck`).
 */
const LAYERS = [
  // [folder regex, folders it may NOT import]
  ['^src/lib/', '^src/(?!lib/)'],
  ['^src/errors/', '^src/(?!(lib|errors)/)'],
  // The SIP2 codec: a protocol layer of its own, beside policy (it knows nothing of patrons or contracts).
  ['^src/sip2/', '^src/(?!(lib|errors|sip2)/)'],
  ['^src/policy/', '^src/(?!(lib|errors|policy)/)'],
  ['^src/contracts/', '^src/(?!(lib|errors|policy|contracts)/)'],
  ['^src/minimize/', '^src/(?!(lib|errors|policy|contracts|minimize)/)'],
  ['^src/(notices|sessions|metering|patrons|settings|log|demo|state)/', '^src/(channels|web|cli)/|^src/(main|boot|app)\\.ts$'],
  ['^src/web/', '^src/(channels|cli)/|^src/(main|boot|app)\\.ts$'],
  ['^src/channels/', '^src/cli/|^src/(main|boot|app)\\.ts$'],
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules may not depend on each other in a loop.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-the-process-or-the-wiring',
      severity: 'error',
      comment: 'main.ts runs the process and app.ts wires the gateway: nothing imports either, except main.ts, which calls createApp().',
      from: { pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(main|app)\\.ts$' },
    },
    {
      name: 'boot-only-from-entry-points',
      severity: 'error',
      comment: 'boot() is called by main.ts and the CLI, nothing else.',
      from: { pathNot: '^src/(main\\.ts|cli/)' },
      to: { path: '^src/boot\\.ts$' },
    },
    ...LAYERS.map(([from, to]) => ({
      name: `layer:${from.replace(/[^a-z|]/g, '')}`,
      severity: 'error',
      comment: 'Lower layers never import higher ones (DESIGN.md "Shape of the code").',
      from: { path: from },
      to: { path: to },
    })),
    {
      name: 'no-utils',
      severity: 'error',
      comment: 'One concept per file: no utils or helpers grab-bags.',
      from: { path: '(^|/)(utils|helpers|misc)\\.ts$' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
