// Sign in: the embedded default's dev login (email only), Supabase Auth (email and password), or a pasted access
// token when neither is configured. People in several organisations name the one to act in.
import { ApiError, api, devLogin, session, supabaseLogin } from './api.js';
import { append, h } from './dom.js';
import { field, formError, onSubmit } from './parts.js';

export const signinScreen = {
  title: 'Sign in',
  mount(ctx) {
    const { config } = ctx;
    const mode = config.devLogin ? 'dev' : config.supabase ? 'supabase' : 'token';
    const orgDetails = h('details', { class: 'advanced' },
      h('summary', null, 'I belong to several organisations'),
      field({ label: 'Organisation id', name: 'orgId', hint: 'The organisation to act in (ask your admin for its id).', attrs: { autocomplete: 'off', spellcheck: 'false' } }));
    const inviteDetails = mode === 'dev' ? null : h('details', { class: 'advanced' },
      h('summary', null, 'I have an invitation'),
      field({ label: 'Invitation token', name: 'invitation', hint: 'The token your admin sent you (clinv_…): you join their organisation as you sign in.', attrs: { autocomplete: 'off', spellcheck: 'false' } }));
    const form = h('form', { class: 'stack narrow', 'aria-label': 'Sign in', novalidate: true },
      formError(),
      mode === 'token'
        ? field({ label: 'Access token', name: 'token', kind: 'textarea', required: true, hint: 'This server has no sign-in configured: paste an access token (a JWT) issued for you.', attrs: { rows: 3, spellcheck: 'false' } })
        : field({ label: 'Email', name: 'email', type: 'email', required: true, attrs: { autocomplete: 'username', spellcheck: 'false' } }),
      mode === 'supabase' ? field({ label: 'Password', name: 'password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }) : null,
      orgDetails,
      inviteDetails,
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
      mode === 'dev' ? h('p', { class: 'hint' }, 'Development sign-in of the embedded default: no password. Never enabled on a deployed server.') : null);

    append(ctx.root, 
      h('h1', { tabindex: '-1' }, 'Sign in to Closeloop'),
      ctx.notice ? h('p', { class: 'notice', role: 'status' }, ctx.notice) : null,
      form);

    onSubmit(form, async (v) => {
      const missing = [];
      if (mode !== 'token' && !v.email) missing.push({ field: 'body.email', message: 'Enter your email address' });
      if (mode === 'supabase' && !v.password) missing.push({ field: 'body.password', message: 'Enter your password' });
      if (mode === 'token' && !v.token) missing.push({ field: 'body.token', message: 'Paste an access token' });
      if (v.orgId && !/^[0-9a-f-]{36}$/i.test(v.orgId)) missing.push({ field: 'body.orgId', message: 'An organisation id looks like 3f0c…-…: 36 characters' });
      if (missing.length) throw new ApiError({ status: 0, detail: 'Check the highlighted fields.', errors: missing });
      const token = mode === 'dev' ? await devLogin(v.email) : mode === 'supabase' ? await supabaseLogin(config.supabase, v.email, v.password) : v.token;
      session.start(token, v.orgId);
      try {
        if (v.invitation) {
          await api('/v1/invitations/accept', { method: 'POST', body: { token: v.invitation }, orgId: null }).catch((err) => {
            if (err.status !== 409) throw new ApiError({ ...err, type: err.type, errors: [{ field: 'body.invitation', message: err.detail || 'This invitation cannot be used' }] });
          });
        }
        await ctx.signedIn(ctx.query.get('next'));
      } catch (err) {
        session.end();
        if (err instanceof ApiError && err.slug === 'organisation-required') {
          orgDetails.open = true;
          throw new ApiError({ ...err, type: err.type, detail: `${err.detail}. Enter the organisation id below.`, errors: [{ field: 'body.orgId', message: 'Which organisation do you want to work in?' }] });
        }
        throw err;
      }
    });
    form.querySelector('input, textarea')?.focus();
  },
};
