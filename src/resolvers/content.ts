import { Arg, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ErrorCode } from '../domain/errors';
import { SuggestionStatus } from '../schema/enums';
import { CreateContentItemInput } from '../schema/inputs';
import { ContentItemPayload, SuggestionPayload } from '../schema/payloads';
import { ContentItem, Suggestion } from '../schema/types';

const notYet = (what: string) => [{ code: ErrorCode.NOT_IMPLEMENTED, message: `${what} is not implemented yet` }];

/** Content and AI advisory: the schema of the contract; the behaviour lands with its own issue. */
@Resolver()
export class ContentResolver {
  @Query(() => ContentItem, { nullable: true })
  contentItem(@Arg('siteId', () => ID) _siteId: string, @Arg('id', () => ID) _id: string): ContentItem | null {
    throw new Error('contentItem is not implemented yet');
  }

  @Query(() => [ContentItem])
  contentItems(@Arg('siteId', () => ID) _siteId: string): ContentItem[] {
    throw new Error('contentItems is not implemented yet');
  }

  @Query(() => [Suggestion])
  suggestions(
    @Arg('siteId', () => ID) _siteId: string,
    @Arg('contentItemId', () => ID, { nullable: true }) _contentItemId: string | null,
    @Arg('status', () => SuggestionStatus, { nullable: true }) _status: SuggestionStatus | null,
  ): Suggestion[] {
    throw new Error('suggestions is not implemented yet');
  }

  @Mutation(() => ContentItemPayload)
  createContentItem(@Arg('siteId', () => ID) _s: string, @Arg('input', () => CreateContentItemInput) _i: CreateContentItemInput): ContentItemPayload {
    return { contentItem: null, userErrors: notYet('createContentItem') };
  }

  @Mutation(() => ContentItemPayload)
  reviseContent(@Arg('siteId', () => ID) _s: string, @Arg('contentItemId', () => ID) _c: string, @Arg('body', () => String) _b: string): ContentItemPayload {
    return { contentItem: null, userErrors: notYet('reviseContent') };
  }

  @Mutation(() => SuggestionPayload)
  requestSuggestion(
    @Arg('siteId', () => ID) _s: string,
    @Arg('contentItemId', () => ID) _c: string,
    @Arg('instruction', () => String) _i: string,
  ): SuggestionPayload {
    return { suggestion: null, userErrors: notYet('requestSuggestion') };
  }

  @Mutation(() => SuggestionPayload)
  approveSuggestion(@Arg('siteId', () => ID) _s: string, @Arg('suggestionId', () => ID) _id: string): SuggestionPayload {
    return { suggestion: null, userErrors: notYet('approveSuggestion') };
  }

  @Mutation(() => SuggestionPayload)
  rejectSuggestion(@Arg('siteId', () => ID) _s: string, @Arg('suggestionId', () => ID) _id: string, @Arg('reason', () => String) _r: string): SuggestionPayload {
    return { suggestion: null, userErrors: notYet('rejectSuggestion') };
  }
}
