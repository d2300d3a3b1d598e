/**
 * The layer rules of Aegis (notes/style.md), enforced by `npm run lint:deps` in `npm test`.
 * resolvers -> domain, schema; domain -> entities, integrations' ports; entities -> states and ids only;
 * integrations never reach the domain, the entities or the database; AI code cannot reach order state.
 */
module.exports = {
  forbidden: [
    {
      name: 'resolvers-call-domain-only',
      comment:
        'Resolvers are thin: they call one domain command or query and map its result. They never import the ' +
        'ORM, entities (but state enums), the database or an integration, so they cannot write through the EntityManager.',
      severity: 'error',
      from: { path: '^src/resolvers/' },
      to: {
        path: '^src/(entities|db|integrations|http|migrations|jobs|alerts)/|node_modules/@mikro-orm/',
        pathNot: '^src/entities/states\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'integrations-stay-outside',
      comment: 'Adapters to the outside world (Stripe, OpenAI) own their ports; they never import the domain, entities, database or API.',
      severity: 'error',
      from: { path: '^src/integrations/' },
      to: { path: '^src/(domain|entities|db|resolvers|schema|permissions|http|jobs)/|node_modules/@mikro-orm/' },
    },
    {
      name: 'ai-cannot-reach-order-state',
      comment: 'The AI Advisory Service has no path, direct or transitive, to orders or the entities.',
      severity: 'error',
      from: { path: '^src/integrations/ai/' },
      to: { path: '^src/(domain/order/|entities/)', reachable: true },
    },
    {
      name: 'entities-import-only-states-and-ids',
      comment: 'Entities carry no business rules: of our code they import only state enums, ids and each other.',
      severity: 'error',
      from: { path: '^src/entities/' },
      to: { path: '^src/', pathNot: '^src/entities/' },
    },
    {
      name: 'domain-knows-no-api',
      comment: 'The domain does not know GraphQL, HTTP or the wiring.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(resolvers|schema|permissions|http|jobs|app\\.ts|runtime\\.ts|server\\.ts|context\\.ts)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
