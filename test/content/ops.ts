import {
  ApproveSuggestionDocument,
  AuditLogDocument,
  ContentItemHistoryDocument,
  CreateContentItemDocument,
  RejectSuggestionDocument,
  RequestSuggestionDocument,
  ReviseContentDocument,
  SetAiEnabledDocument,
  SuggestionsDocument,
  type SuggestionStatus,
} from '../../clients/generated/graphql';
import { ownerSql } from '../support/sql';
import type { TestAegis } from '../support/aegis';

/** GraphQL operations of the admin client's content screens (clients/admin.graphql), shared by the content tests. */
export async function asSuper(t: TestAegis) {
  return { token: await t.superToken() };
}

export const createItem = async (t: TestAegis, siteId: string, input: { slug: string; title: string; body: string }) =>
  t.op(CreateContentItemDocument, { siteId, input }, await asSuper(t));

export async function newItem(t: TestAegis, siteId: string, body = 'The original body.'): Promise<string> {
  const r = await createItem(t, siteId, { slug: `page-${Math.random().toString(36).slice(2, 8)}`, title: 'About us', body });
  if (!r.data?.createContentItem.contentItem) throw new Error(`createContentItem failed: ${JSON.stringify(r)}`);
  return r.data.createContentItem.contentItem.id;
}

export const revise = async (t: TestAegis, siteId: string, contentItemId: string, body: string) =>
  t.op(ReviseContentDocument, { siteId, contentItemId, body }, await asSuper(t));

/** The item with the body of each version. */
export const getItem = async (t: TestAegis, siteId: string, id: string) =>
  (await t.op(ContentItemHistoryDocument, { siteId, id }, await asSuper(t))).data?.contentItem;

export const setAi = async (t: TestAegis, siteId: string, enabled: boolean) => {
  const r = await t.op(SetAiEnabledDocument, { siteId, enabled }, await asSuper(t));
  if (r.data?.setAiEnabled.site?.aiEnabled !== enabled) throw new Error(`setAiEnabled failed: ${JSON.stringify(r)}`);
};

export const requestSuggestion = async (
  t: TestAegis,
  siteId: string,
  contentItemId: string,
  instruction = 'Make it friendlier',
  token?: string,
) => t.op(RequestSuggestionDocument, { siteId, contentItemId, instruction }, token ? { token } : await asSuper(t));

export const approve = async (t: TestAegis, siteId: string, suggestionId: string) =>
  t.op(ApproveSuggestionDocument, { siteId, suggestionId }, await asSuper(t));

export const reject = async (t: TestAegis, siteId: string, suggestionId: string, reason: string) =>
  t.op(RejectSuggestionDocument, { siteId, suggestionId, reason }, await asSuper(t));

export const listSuggestions = async (
  t: TestAegis,
  siteId: string,
  filter: { contentItemId?: string; status?: SuggestionStatus } = {},
  token?: string,
) =>
  t.op(SuggestionsDocument, { siteId, contentItemId: filter.contentItemId, status: filter.status }, token ? { token } : await asSuper(t));

export async function auditActions(
  t: TestAegis,
  siteId: string,
): Promise<{ actor: string; action: string; entityId: string; detail: string | null }[]> {
  const r = await t.op(AuditLogDocument, { siteId, first: 100 }, await asSuper(t));
  return r.data!.auditLog.edges.map((e) => e.node);
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
