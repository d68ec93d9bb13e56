// The AI drafting port, in domain terms: personalise a rendered template email for one recipient, or rewrite a
// draft the way a person asked. Adapters: OpenAI (real), the offline template drafter (embedded default: no AI,
// says so). Whatever an adapter returns goes to a person before it is sent when `origin` is 'ai' (domain/approval.ts).

export interface EmailText {
  subject: string;
  body: string;
}

/** What the drafter may know about the recipient and the deal so far. Facts from our own records only. */
export interface DraftContext {
  recipient: { firstName: string | null; lastName: string | null; title: string | null; accountName: string | null; timeZone: string | null };
  sender: { name: string };
  /** Earlier touches of this process and the contact's recent activity, oldest first, e.g. "email sent: Intro". */
  earlierActivities: Array<{ at: string; summary: string }>;
}

export interface PersonaliseRequest {
  orgId: string;
  /** The draft's business key: the same request gives the same answer where the adapter can make it so. */
  idempotencyKey: string;
  /** The step's template, already rendered with the recipient's values (no placeholders left). */
  template: EmailText;
  context: DraftContext;
}

export interface RegenerateRequest {
  orgId: string;
  idempotencyKey: string;
  current: EmailText;
  /** What the person asked for, e.g. "shorter, and mention the pilot". */
  instructions: string;
  context: DraftContext;
}

export interface DraftedEmail extends EmailText {
  /** 'ai' when a model wrote or changed the text (approval is then always required); 'template' otherwise. */
  origin: 'ai' | 'template';
  /** The model that wrote it, e.g. "gpt-4.1-mini"; null for the offline drafter. */
  model: string | null;
  /** Shown to the rep next to the draft, e.g. "offline template drafter: no AI, the template as written". */
  label: string;
}

export interface EmailDrafter {
  readonly kind: 'openai' | 'offline';
  /**
   * Throws AiRefusedError (non-retryable) when the model refuses or its answer is unusable, ConfigurationError on
   * a bad key or model, ValidationError on bad input; a plain Error (rate limit, 5xx, network) lets Temporal retry.
   */
  personalise(request: PersonaliseRequest): Promise<DraftedEmail>;
  /** null when the adapter cannot rewrite (the offline drafter): the caller keeps the draft and says why. */
  regenerate(request: RegenerateRequest): Promise<DraftedEmail | null>;
}
