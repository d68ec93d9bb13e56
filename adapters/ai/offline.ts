// The embedded default: no AI. It hands back the rendered template and says so, so the rep never mistakes a
// template for a model's work.
import { checkEmailText } from './checks.ts';
import type { DraftedEmail, EmailDrafter, PersonaliseRequest } from './port.ts';

export const OFFLINE_DRAFTER_LABEL = 'offline template drafter: no AI, the template as written';

export function createOfflineDrafter(): EmailDrafter {
  return {
    kind: 'offline',

    async personalise(request: PersonaliseRequest): Promise<DraftedEmail> {
      checkEmailText(request.template, 'the template');
      return { subject: request.template.subject, body: request.template.body, origin: 'template', model: null, label: OFFLINE_DRAFTER_LABEL };
    },

    // Without a model there is nothing that could follow the instructions: the caller keeps the draft.
    async regenerate(): Promise<DraftedEmail | null> {
      return null;
    },
  };
}
