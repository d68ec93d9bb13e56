// Playbooks: ordered follow-up steps as versioned data. An enrolment keeps the version it started with, so a
// playbook edit never changes a running cadence (a new version is a new row).
import { z } from 'zod';
import { delaySchema, sendWindowSchema, defaultSendWindow } from './schedule.ts';

export const stepKindSchema = z.enum(['auto_email', 'manual_email', 'call_task', 'linkedin_task', 'custom_task']);
export type StepKind = z.infer<typeof stepKindSchema>;

// {{contact.firstName}}, {{account.name}}, {{sender.name}} … — the variables a template may use.
export const templateVariables = [
  'contact.firstName',
  'contact.lastName',
  'contact.title',
  'account.name',
  'sender.name',
  'sender.firstName',
] as const;
export type TemplateVariable = (typeof templateVariables)[number];
const placeholder = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;

const template = z
  .string()
  .max(20_000)
  .superRefine((text, ctx) => {
    for (const [, name] of text.matchAll(placeholder)) {
      if (!(templateVariables as readonly string[]).includes(name!)) {
        ctx.addIssue({ code: 'custom', message: `unknown variable {{${name}}}; use one of ${templateVariables.join(', ')}` });
      }
    }
  });

export const playbookStepSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes'),
    kind: stepKindSchema,
    delay: delaySchema,
    subject: template.nullable().default(null),
    body: template,
    /** Let the AI personalise the text (then a human always approves it). */
    aiPersonalise: z.boolean().default(false),
    /** Manual steps: the task expires (and the cadence goes on) after this many hours; null waits until done. */
    taskExpiresAfterHours: z.int().min(1).max(24 * 60).nullable().default(null),
  })
  .superRefine((step, ctx) => {
    const email = step.kind === 'auto_email' || step.kind === 'manual_email';
    if (email && !step.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'email steps need a subject' });
    if (!email && step.aiPersonalise) ctx.addIssue({ code: 'custom', path: ['aiPersonalise'], message: 'only email steps are personalised' });
  });
export type PlaybookStep = z.infer<typeof playbookStepSchema>;

export const playbookDefinitionSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    steps: z.array(playbookStepSchema).min(1).max(20),
    /** In the recipient's time zone (fallback: the owner's). */
    sendWindow: sendWindowSchema.default(defaultSendWindow),
    /** More than one active cadence per contact (from this playbook and others). */
    allowConcurrentEnrolments: z.boolean().default(false),
    /** Days before a contact may be enrolled again after a cadence ended. */
    reenrolCooldownDays: z.int().min(0).max(365).default(30),
    /** A reply from anyone at the account stops the cadences of their colleagues too. */
    stopColleaguesOnReply: z.boolean().default(false),
    /** Send assist: approved emails go into the owner's connected Gmail drafts (in the thread) instead of being sent. */
    sendAssist: z.boolean().default(false),
  })
  .superRefine((definition, ctx) => {
    const seen = new Set<string>();
    definition.steps.forEach((step, index) => {
      if (seen.has(step.key)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'key'], message: `step key "${step.key}" repeats` });
      seen.add(step.key);
    });
  });
export type PlaybookDefinition = z.infer<typeof playbookDefinitionSchema>;

/**
 * Fills a template. A variable without a value is never sent as a raw placeholder: the caller gets the missing
 * names and holds the step for review.
 */
export function renderTemplate(text: string, values: Partial<Record<TemplateVariable, string | null>>): { ok: true; text: string } | { ok: false; missing: TemplateVariable[] } {
  const missing = new Set<TemplateVariable>();
  const rendered = text.replace(placeholder, (_match, name: string) => {
    const value = values[name as TemplateVariable];
    if (value === undefined || value === null || value.trim() === '') {
      missing.add(name as TemplateVariable);
      return '';
    }
    return value;
  });
  return missing.size > 0 ? { ok: false, missing: [...missing] } : { ok: true, text: rendered };
}
