import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { approveSuggestion } from '../domain/content/commands/approve-suggestion';
import { createContentItem } from '../domain/content/commands/create-content-item';
import { rejectSuggestion } from '../domain/content/commands/reject-suggestion';
import { requestSuggestion } from '../domain/content/commands/request-suggestion';
import { reviseContent } from '../domain/content/commands/revise-content';
import { getContentItem, listContentItems, listSuggestions, type ContentItemView } from '../domain/content/queries';
import type * as E from '../entities';
import { ContentSource, SuggestionStatus } from '../schema/enums';
import { CreateContentItemInput } from '../schema/inputs';
import { ContentItemPayload, SuggestionPayload } from '../schema/payloads';
import { ContentItem, ContentVersion, Suggestion } from '../schema/types';
import { payload } from './mappers';
import { adminOf } from './platform';

const toVersion = (v: E.ContentVersion): ContentVersion => ({
  number: v.number, body: v.body, source: ContentSource[v.source], suggestionId: v.suggestionId, createdBy: v.createdBy, createdAt: v.createdAt,
});

const toContentItem = ({ item, versions }: ContentItemView): ContentItem => ({
  id: item.id,
  siteId: item.siteId,
  slug: item.slug,
  title: item.title,
  currentVersion: toVersion(versions.find((v) => v.number === item.currentVersion)!),
  versions: versions.map(toVersion),
});

const toSuggestion = (s: E.Suggestion): Suggestion => ({
  id: s.id, siteId: s.siteId, contentItemId: s.contentItemId, status: SuggestionStatus[s.status], instruction: s.instruction, body: s.body,
  baseVersion: s.baseVersion, model: s.model, createdAt: s.createdAt, decidedAt: s.decidedAt, decidedBy: s.decidedBy,
  rejectionReason: s.rejectionReason, createdVersion: s.createdVersion,
});

/** Content and AI advisory: site administration (shield admits SITE_ADMIN of the site or SUPER_ADMIN). */
@Resolver()
export class ContentResolver {
  @Query(() => ContentItem, { nullable: true })
  async contentItem(@Arg('siteId', () => ID) siteId: string, @Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ContentItem | null> {
    const view = await getContentItem(ctx.em, siteId, id);
    return view ? toContentItem(view) : null;
  }

  @Query(() => [ContentItem])
  async contentItems(@Arg('siteId', () => ID) siteId: string, @Ctx() ctx: Context): Promise<ContentItem[]> {
    return (await listContentItems(ctx.em, siteId)).map(toContentItem);
  }

  @Query(() => [Suggestion])
  async suggestions(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('contentItemId', () => ID, { nullable: true }) contentItemId: string | null,
    @Arg('status', () => SuggestionStatus, { nullable: true }) status: SuggestionStatus | null,
    @Ctx() ctx: Context,
  ): Promise<Suggestion[]> {
    return (await listSuggestions(ctx.em, siteId, { contentItemId, status })).map(toSuggestion);
  }

  @Mutation(() => ContentItemPayload)
  async createContentItem(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => CreateContentItemInput) input: CreateContentItemInput,
    @Ctx() ctx: Context,
  ): Promise<ContentItemPayload> {
    return payload('contentItem', await createContentItem(ctx.em, ctx.deps, adminOf(ctx), siteId, input), toContentItem);
  }

  @Mutation(() => ContentItemPayload)
  async reviseContent(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('contentItemId', () => ID) contentItemId: string,
    @Arg('body', () => String) body: string,
    @Ctx() ctx: Context,
  ): Promise<ContentItemPayload> {
    return payload('contentItem', await reviseContent(ctx.em, ctx.deps, adminOf(ctx), siteId, contentItemId, body), toContentItem);
  }

  @Mutation(() => SuggestionPayload)
  async requestSuggestion(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('contentItemId', () => ID) contentItemId: string,
    @Arg('instruction', () => String) instruction: string,
    @Ctx() ctx: Context,
  ): Promise<SuggestionPayload> {
    return payload('suggestion', await requestSuggestion(ctx.em, ctx.deps, adminOf(ctx), siteId, contentItemId, instruction), toSuggestion);
  }

  @Mutation(() => SuggestionPayload)
  async approveSuggestion(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('suggestionId', () => ID) suggestionId: string,
    @Ctx() ctx: Context,
  ): Promise<SuggestionPayload> {
    return payload('suggestion', await approveSuggestion(ctx.em, ctx.deps, adminOf(ctx), siteId, suggestionId), toSuggestion);
  }

  @Mutation(() => SuggestionPayload)
  async rejectSuggestion(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('suggestionId', () => ID) suggestionId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: Context,
  ): Promise<SuggestionPayload> {
    return payload('suggestion', await rejectSuggestion(ctx.em, ctx.deps, adminOf(ctx), siteId, suggestionId, reason), toSuggestion);
  }
}
