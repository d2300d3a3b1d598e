import { ownerSql } from '../support/sql';
import type { TestAegis } from '../support/aegis';

/** GraphQL operations of the admin client's content screens, shared by the content tests. */
export const VERSION_FIELDS = 'number body source suggestionId createdBy createdAt';
export const ITEM_FIELDS = `id siteId slug title currentVersion { ${VERSION_FIELDS} } versions { ${VERSION_FIELDS} }`;
export const SUGGESTION_FIELDS =
  'id siteId contentItemId status instruction body baseVersion model createdAt decidedAt decidedBy rejectionReason createdVersion';
const ERRORS = 'userErrors { code message field }';

export async function asSuper(t: TestAegis) {
  return { token: await t.superToken() };
}

export const createItem = async (t: TestAegis, siteId: string, input: { slug: string; title: string; body: string }) =>
  t.gql(
    `mutation($s:ID!,$i:CreateContentItemInput!){ createContentItem(siteId:$s,input:$i){ contentItem { ${ITEM_FIELDS} } ${ERRORS} } }`,
    { s: siteId, i: input },
    await asSuper(t),
  );

export async function newItem(t: TestAegis, siteId: string, body = 'The original body.'): Promise<string> {
  const r = await createItem(t, siteId, { slug: `page-${Math.random().toString(36).slice(2, 8)}`, title: 'About us', body });
  if (!r.data?.createContentItem.contentItem) throw new Error(`createContentItem failed: ${JSON.stringify(r)}`);
  return r.data.createContentItem.contentItem.id;
}

export const revise = async (t: TestAegis, siteId: string, contentItemId: string, body: string) =>
  t.gql(
    `mutation($s:ID!,$c:ID!,$b:String!){ reviseContent(siteId:$s,contentItemId:$c,body:$b){ contentItem { ${ITEM_FIELDS} } ${ERRORS} } }`,
    { s: siteId, c: contentItemId, b: body },
    await asSuper(t),
  );

export const getItem = async (t: TestAegis, siteId: string, id: string) =>
  (await t.gql(`query($s:ID!,$id:ID!){ contentItem(siteId:$s,id:$id){ ${ITEM_FIELDS} } }`, { s: siteId, id }, await asSuper(t))).data
    ?.contentItem;

export const setAi = async (t: TestAegis, siteId: string, enabled: boolean) => {
  const r = await t.gql(
    `mutation($s:ID!,$e:Boolean!){ setAiEnabled(siteId:$s,enabled:$e){ site { aiEnabled } ${ERRORS} } }`,
    { s: siteId, e: enabled },
    await asSuper(t),
  );
  if (r.data?.setAiEnabled.site?.aiEnabled !== enabled) throw new Error(`setAiEnabled failed: ${JSON.stringify(r)}`);
};

export const requestSuggestion = async (
  t: TestAegis,
  siteId: string,
  contentItemId: string,
  instruction = 'Make it friendlier',
  token?: string,
) =>
  t.gql(
    `mutation($s:ID!,$c:ID!,$i:String!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:$i){ suggestion { ${SUGGESTION_FIELDS} } ${ERRORS} } }`,
    { s: siteId, c: contentItemId, i: instruction },
    token ? { token } : await asSuper(t),
  );

export const approve = async (t: TestAegis, siteId: string, suggestionId: string) =>
  t.gql(
    `mutation($s:ID!,$id:ID!){ approveSuggestion(siteId:$s,suggestionId:$id){ suggestion { ${SUGGESTION_FIELDS} } ${ERRORS} } }`,
    { s: siteId, id: suggestionId },
    await asSuper(t),
  );

export const reject = async (t: TestAegis, siteId: string, suggestionId: string, reason: string) =>
  t.gql(
    `mutation($s:ID!,$id:ID!,$r:String!){ rejectSuggestion(siteId:$s,suggestionId:$id,reason:$r){ suggestion { ${SUGGESTION_FIELDS} } ${ERRORS} } }`,
    { s: siteId, id: suggestionId, r: reason },
    await asSuper(t),
  );

export const listSuggestions = async (
  t: TestAegis,
  siteId: string,
  filter: { contentItemId?: string; status?: string } = {},
  token?: string,
) =>
  t.gql(
    `query($s:ID!,$c:ID,$st:SuggestionStatus){ suggestions(siteId:$s,contentItemId:$c,status:$st){ ${SUGGESTION_FIELDS} } }`,
    { s: siteId, c: filter.contentItemId, st: filter.status },
    token ? { token } : await asSuper(t),
  );

export async function auditActions(
  t: TestAegis,
  siteId: string,
): Promise<{ actor: string; action: string; entityId: string; detail: string | null }[]> {
  const r = await t.gql(
    `query($s:ID!){ auditLog(siteId:$s, first: 100){ edges { node { actor action entityId detail } } } }`,
    { s: siteId },
    await asSuper(t),
  );
  return r.data.auditLog.edges.map((e: { node: unknown }) => e.node);
}

/** Reads as the owner, outside the API, to prove what the database holds. */
export const sql = <T = any>(t: TestAegis, query: string, params: unknown[] = []): Promise<T[]> => ownerSql<T>(t.dbUrl, query, params);

/** Row counts of every table the content and AI paths could touch. */
export async function tableCounts(t: TestAegis): Promise<Record<string, number>> {
  const [row] = await sql(
    t,
    `select (select count(*) from content_items) as content_items, (select count(*) from content_versions) as content_versions,
            (select count(*) from suggestions) as suggestions, (select count(*) from audit_log) as audit_log,
            (select count(*) from orders) as orders, (select count(*) from sites where ai_enabled) as ai_sites`,
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}
