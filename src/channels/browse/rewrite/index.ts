/**
 * Browse mode's rewriters: what the browse channel (src/channels/browse/) calls to make an upstream
 * response safe to hand to the patron's browser on a proxied origin.
 */
export { createBodyRewriter } from './body-rewriter.ts';
export { describeBodyRewrite, type BodyPlan } from './body-plan.ts';
export { rewriteResponseHeaders, type HeaderRewriteOptions, type ResponseHeaders } from './response-headers.ts';
export { BLOCKED_URL, DEFAULT_REPLACE_TYPES, type MapUrl, type ReplaceRule, type RewriteOptions, type ScriptHost, type UrlKind } from './rewrite-options.ts';
