import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { approveSuggestion } from '../domain/content/commands/approve-suggestion';
import { createContentItem } from '../domain/content/commands/create-content-item';
import { rejectSuggestion } from '../domain/content/commands/reject-suggestion';
import { requestSuggestion } from '../domain/content/commands/request-suggestion';
import { reviseContent } from '../domain/content/commands/revise-content';
import {
  CONTENT_PAGE,
  getContentItem,
  listContentItems,
  listSuggestions,
  listVersions,
  type ContentItemView,
} from '../domain/content/queries';
import type * as E from '../entities';
import { ContentSource, SuggestionStatus } from '../schema/enums';
import { CreateContentItemInput } from '../schema/inputs';
import { ContentItemPayload, SuggestionPayload } from '../schema/payloads';
import { ContentItem, ContentVersion, Suggestion } from '../schema/types';
import { payload } from './mappers';
import { adminOf } from './platform';

const toVersion = (v: E.ContentVersion): ContentVersion => ({
  number: v.number,
  body: v.body,
  source: ContentSource[v.source],
  suggestionId: v.suggestionId,
  createdBy: v.createdBy,
  createdAt: v.createdAt,
});

const toContentItem = ({ item, versions }: ContentItemView): ContentItem => ({
  id: item.id,
  siteId: item.siteId,
  slug: item.slug,
  title: item.title,
  currentVersion: toVersion(versions.find((v) => v.number === item.currentVersion)!),
});

const toSuggestion = (s: E.Suggestion): Suggestion => ({
  id: s.id,
  siteId: s.siteId,
  contentItemId: s.contentItemId,
  status: s.status,
  instruction: s.instruction,
  body: s.body,
  baseVersion: s.baseVersion,
  model: s.model,
  createdAt: s.createdAt,
  decidedAt: s.decidedAt,
  decidedBy: s.decidedBy,
  rejectionReason: s.rejectionReason,
  createdVersion: s.createdVersion,
});

/** Per request, one loader per site and page: the items of one list ask in the same tick and are read in one query. */
const versionLoaders = new WeakMap<Context, Map<string, DataLoader<string, E.ContentVersion[]>>>();

function versionsOf(
  ctx: Context,
  siteId: string,
  itemId: string,
  page: { first: number | null; after: number | null },
): Promise<E.ContentVersion[]> {
  let loaders = versionLoaders.get(ctx);
  if (!loaders) versionLoaders.set(ctx, (loaders = new Map()));
  const key = `${siteId}|${page.first}|${page.after}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const byItem = await listVersions(ctx.em, siteId, ids, page);
      return ids.map((id) => byItem.get(id)!);
    });
    loaders.set(key, loader);
  }
  return loader.load(itemId);
}

const pageArgs = { nullable: true, defaultValue: CONTENT_PAGE.default, description: `At most ${CONTENT_PAGE.max}.` } as const;

/** Content and AI advisory: site administration (shield admits SITE_ADMIN of the site or SUPER_ADMIN). */
@Resolver(() => ContentItem)
export class ContentResolver {
  @Query(() => ContentItem, { nullable: true })
  async contentItem(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<ContentItem | null> {
    const view = await getContentItem(ctx.em, siteId, id);
    return view ? toContentItem(view) : null;
  }

  @Query(() => [ContentItem], { description: 'Oldest first; `after`: the id of the last item of the previous page.' })
  async contentItems(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('first', () => Int, pageArgs) first: number | null,
    @Arg('after', () => ID, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ContentItem[]> {
    return (await listContentItems(ctx.em, siteId, { first, after })).map(toContentItem);
  }

  @FieldResolver(() => [ContentVersion], { description: 'Oldest first; `after`: the number of the last version of the previous page.' })
  async versions(
    @Root() item: ContentItem,
    @Arg('first', () => Int, pageArgs) first: number | null,
    @Arg('after', () => Int, { nullable: true }) after: number | null,
    @Ctx() ctx: Context,
  ): Promise<ContentVersion[]> {
    return (await versionsOf(ctx, item.siteId, item.id, { first, after })).map(toVersion);
  }

  @Query(() => [Suggestion])
  async suggestions(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('contentItemId', () => ID, { nullable: true }) contentItemId: string | null,
    @Arg('status', () => SuggestionStatus, { nullable: true }) status: SuggestionStatus | null,
    @Arg('first', () => Int, pageArgs) first: number | null,
    @Arg('after', () => ID, { nullable: true, description: 'The id of the last suggestion of the previous page.' }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<Suggestion[]> {
    return (await listSuggestions(ctx.em, siteId, { contentItemId, status }, { first, after })).map(toSuggestion);
  }

  @Mutation(() => ContentItemPayload)
  async createContentItem(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => CreateContentItemInput) input: CreateContentItemInput,
    @Ctx() ctx: Context,
  ): Promise<ContentItemPayload> {
    return payload('contentItem', await createContentItem(ctx.em, ctx.deps, adminOf(ctx), { siteId, ...input }), toContentItem);
  }

  @Mutation(() => ContentItemPayload)
  async reviseContent(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('contentItemId', () => ID) contentItemId: string,
    @Arg('body', () => String) body: string,
    @Ctx() ctx: Context,
  ): Promise<ContentItemPayload> {
    return payload('contentItem', await reviseContent(ctx.em, ctx.deps, adminOf(ctx), { siteId, contentItemId, body }), toContentItem);
  }

  @Mutation(() => SuggestionPayload)
  async requestSuggestion(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('contentItemId', () => ID) contentItemId: string,
    @Arg('instruction', () => String) instruction: string,
    @Ctx() ctx: Context,
  ): Promise<SuggestionPayload> {
    return payload(
      'suggestion',
      await requestSuggestion(ctx.em, ctx.deps, adminOf(ctx), { siteId, contentItemId, instruction }),
      toSuggestion,
    );
  }

  @Mutation(() => SuggestionPayload)
  async approveSuggestion(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('suggestionId', () => ID) suggestionId: string,
    @Ctx() ctx: Context,
  ): Promise<SuggestionPayload> {
    return payload('suggestion', await approveSuggestion(ctx.em, ctx.deps, adminOf(ctx), { siteId, suggestionId }), toSuggestion);
  }

  @Mutation(() => SuggestionPayload)
  async rejectSuggestion(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('suggestionId', () => ID) suggestionId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: Context,
  ): Promise<SuggestionPayload> {
    return payload('suggestion', await rejectSuggestion(ctx.em, ctx.deps, adminOf(ctx), { siteId, suggestionId, reason }), toSuggestion);
  }
}
