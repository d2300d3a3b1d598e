import { extendSchema, graphql, isObjectType, parse, type GraphQLObjectType } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow } from 'graphql-shield';
import { permissions, ruleMap } from '../../src/permissions';
import { buildGraphQLSchema } from '../../src/schema/build';

type RuleLike = { name?: string; cache?: unknown };
const schema = buildGraphQLSchema();
const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__'));
const rules = ruleMap as unknown as Record<string, Record<string, RuleLike>>;

describe('every field of the emitted schema has an explicit shield rule', () => {
  it.each(objectTypes.map((t) => [t.name, t] as const))('%s: each field is named in the rule map', (name, type) => {
    const fields = Object.keys((type as ReturnType<typeof objectTypes.find> & { getFields(): object }).getFields());
    const missing = fields.filter((f) => !rules[name]?.[f]);
    expect(missing).toEqual([]);
  });

  it('names no type or field the schema does not have (no stale rules)', () => {
    const stale = Object.entries(rules).flatMap(([typeName, fields]) => {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) return [typeName];
      return Object.keys(fields)
        .filter((f) => !type.getFields()[f])
        .map((f) => `${typeName}.${f}`);
    });
    expect(stale).toEqual([]);
  });

  it('uses no type-level rule: every entry of the map is a field map', () => {
    for (const fields of Object.values(rules)) expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('caches no rule: each is the built-in allow or a `no_cache` rule (shield caches by rule name only)', () => {
    const used = new Set(Object.values(rules).flatMap((fields) => Object.values(fields)));
    for (const rule of used) {
      if (rule === allow) continue;
      expect({ rule: rule.name, cache: rule.cache }).toEqual({ rule: rule.name, cache: 'no_cache' });
    }
  });

  it('answers `allow` fields without a promise of its own (a plain value stays plain); every named rule still goes through shield', () => {
    const guarded = applyMiddleware(schema, permissions());
    const resolveOf = (type: string, field: string) => (guarded.getType(type) as GraphQLObjectType).getFields()[field].resolve!;
    const info = (type: string, field: string) => ({ parentType: guarded.getType(type), fieldName: field }) as never;
    const ctx = { requestId: 'r0', deps: { log: { error: () => undefined } } };
    expect(resolveOf('Order', 'totalMinor')({ totalMinor: 1250 }, {}, ctx, info('Order', 'totalMinor'))).toBe(1250);
    // A rule that decides (here: nobody signed in) is awaited by shield, and refuses.
    const orders = resolveOf('Query', 'orders')(undefined, { siteId: 'x' }, ctx, info('Query', 'orders'));
    expect(orders).toBeInstanceOf(Promise);
    return expect(orders).resolves.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  describe('the built shield, on the schema plus a field the map does not name', () => {
    const extended = extendSchema(schema, parse('extend type Query { unlisted: String }'));
    const guarded = applyMiddleware(extended, permissions());
    const logged: unknown[] = [];
    const contextValue = { requestId: 'r1', deps: { log: { error: (o: unknown) => logged.push(o) } } };
    const run = (query: string, rootValue: object) => graphql({ schema: guarded, source: query, rootValue, contextValue });

    it('denies the unnamed field (fallbackRule deny) with the generic FORBIDDEN', async () => {
      const r = await run('{ unlisted }', { unlisted: 'secret' });
      expect(r.data?.unlisted).toBeNull();
      expect(r.errors?.map((e) => [e.message, e.extensions.code])).toEqual([['Not allowed', 'FORBIDDEN']]);
    });

    it("hides a resolver's thrown error behind a generic INTERNAL_SERVER_ERROR (no external errors, no debug) and logs it", async () => {
      // The context has no EntityManager: the `site` resolver fails with a TypeError, as a bug would.
      const r = await run('{ site(siteId: "0190c0de-0000-7000-8000-000000000000") { id } }', {});
      expect(r.errors?.map((e) => [e.message, e.extensions.code])).toEqual([['Internal server error', 'INTERNAL_SERVER_ERROR']]);
      expect(JSON.stringify(r)).not.toMatch(/findOne|undefined/);
      expect(logged).toHaveLength(1);
    });
  });
});
