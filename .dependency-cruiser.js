/**
 * The layer rules of Aegis (notes/style.md), enforced by `npm run lint:deps` in `npm test`.
 * resolvers -> domain, schema; domain -> entities, integrations' ports; entities -> states and ids only;
 * integrations reach only the domain's ports; the domain reaches no adapter; AI code cannot reach order state.
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
      comment:
        'Adapters to the outside world (Stripe, OpenAI) implement the ports the domain owns (src/domain/*/ports.ts); ' +
        'of the rest of Aegis they import nothing: no domain command, entity, database or API.',
      severity: 'error',
      from: { path: '^src/integrations/' },
      to: {
        path: '^src/(domain|entities|db|resolvers|schema|permissions|http|jobs)/|node_modules/@mikro-orm/',
        pathNot: '^src/domain/[^/]+/ports\\.ts$',
      },
    },
    {
      name: 'ports-stand-alone',
      comment:
        "A port is the domain's words for what it needs from outside: it imports nothing of ours, so an adapter reaches nothing through it.",
      severity: 'error',
      from: { path: '^src/domain/[^/]+/ports\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'domain-knows-no-provider',
      comment:
        'The domain speaks through its ports: it never imports an adapter or a provider SDK (a second payment provider is an ' +
        "adapter and a line). The AI Advisory Service's port stays with it in src/integrations/ai, which reaches nothing of the domain.",
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/integrations/|node_modules/(stripe|openai)/', pathNot: '^src/integrations/ai/advisor\\.ts$' },
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
