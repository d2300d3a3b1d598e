import {
  ApproveSuggestionDocument,
  CreateContentItemDocument,
  RejectSuggestionDocument,
  RequestSuggestionDocument,
  SetAiEnabledDocument,
} from '../generated/graphql';
import { DemoError, expectNoUserErrors, type Request } from './client';
import { done, note } from './print';

/** The AI advisory flow: the graceful refusal while AI is off, then (when configured) approve one, reject another. */
export async function advisory(gql: Request, token: string, siteId: string, aiConfigured: boolean) {
  const item = (
    await gql(CreateContentItemDocument, { siteId, input: { slug: 'about', title: 'About us', body: 'We sell demo things.' } }, { token })
  ).createContentItem;
  expectNoUserErrors('createContentItem', item);
  const contentItemId = item.contentItem!.id;
  const ask = (instruction: string) => gql(RequestSuggestionDocument, { siteId, contentItemId, instruction }, { token });

  const off = (await ask('Make it friendlier')).requestSuggestion;
  if (off.userErrors[0]?.code !== 'AI_DISABLED')
    throw new DemoError(`with AI off, requestSuggestion answered ${JSON.stringify(off.userErrors)}`);
  done(`AI is off for the site: "${off.userErrors[0].message}" (no provider call, nothing written)`);
  if (!aiConfigured) {
    note('set OPENAI_BASE_URL (and OPENAI_API_KEY) for the server and the demo to see a suggestion approved and one rejected');
    return;
  }
  expectNoUserErrors('setAiEnabled', (await gql(SetAiEnabledDocument, { siteId, enabled: true }, { token })).setAiEnabled);
  const first = (await ask('Make it friendlier')).requestSuggestion;
  expectNoUserErrors('requestSuggestion', first);
  const approved = (await gql(ApproveSuggestionDocument, { siteId, suggestionId: first.suggestion!.id }, { token })).approveSuggestion;
  expectNoUserErrors('approveSuggestion', approved);
  done(`suggestion approved: content version ${approved.suggestion!.createdVersion} is now "${first.suggestion!.body.slice(0, 60)}"`);
  const second = (await ask('Make it shorter')).requestSuggestion;
  expectNoUserErrors('requestSuggestion', second);
  const rejected = (
    await gql(RejectSuggestionDocument, { siteId, suggestionId: second.suggestion!.id, reason: 'Too short for the page' }, { token })
  ).rejectSuggestion;
  expectNoUserErrors('rejectSuggestion', rejected);
  done(`another suggestion rejected, reason kept: "${rejected.suggestion!.rejectionReason}"`);
}
