/*
 * registry.c - every check of CHECKS.md, in ID order, with what it needs.
 * Checks with no function belong to parts of hookdoctor not in this build
 * (network, Devopness API, provider API, delivery history): `checks` lists
 * them as not available and `check` does not report them.
 */
#include "check.h"
#include "checks.h"

#define H(id, name, fam, sev, needs, fn, sum) \
	{id, name, fam, sev, needs, SCOPE_HOOK, fn, NULL, sum}
#define G(id, name, fam, sev, needs, fn, sum) \
	{id, name, fam, sev, needs, SCOPE_PIPELINE, NULL, fn, sum}
#define F CS_FAIL
#define W CS_WARN

const struct check_def check_registry[] = {
	H("HD101", "pipeline-id", "hook", F, NEED_NONE, hd101, "the pipeline ID is a positive integer"),
	H("HD102", "pipeline-exists", "hook", F, NEED_API, hd102, "GET /pipelines/{id} answers 200"),
	H("HD103", "pipeline-is-deploy", "hook", W, NEED_API, hd103, "the pipeline's operation is deploy on an application"),
	H("HD104", "hook-outgoing", "hook", F, NEED_API, hd104, "the hook is of type out"),
	H("HD105", "hook-active", "hook", F, NEED_API, hd105, "the hook is active"),
	H("HD106", "hook-in-pipeline", "hook", F, NEED_API, hd106, "the hook's pipeline_id is the pipeline checked"),
	H("HD107", "hook-name", "hook", F, NEED_NONE, hd107, "a name is present and at most 60 characters"),
	H("HD108", "trigger-events", "hook", F, NEED_NONE, hd108, "trigger_when.events is not empty and holds only known events"),
	G("HD109", "terminal-events", "hook", F, NEED_NONE, hd109, "the hooks posting to one repository fire on completed and failed"),
	H("HD110", "duplicate-events", "hook", W, NEED_NONE, hd110, "action.status_changed with specific events sends twice"),
	H("HD111", "target-url", "hook", F, NEED_NONE, hd111, "target_url is absolute https with a host, no userinfo, no spaces"),
	H("HD112", "verify-ssl", "hook", W, NEED_NONE, hd112, "verify_ssl is not false"),
	H("HD113", "trigger-conditions", "hook", W, NEED_NONE, hd113, "conditions have known paths and values that can occur, and let a real action (--action) through"),
	H("HD114", "hook-schema", "hook", F, NEED_NONE, hd114, "the hook matches the Devopness schema"),

	H("HD201", "template-syntax", "template", F, NEED_NONE, hd201, "every {{ ... }} is closed, not empty, a plain dotted path"),
	H("HD202", "template-variables", "template", F, NEED_NONE, hd202, "every variable is a known Devopness variable"),
	H("HD203", "template-values", "template", W, NEED_NONE, hd203, "every variable has a value with the action used"),
	H("HD204", "body-json-safe", "template", F, NEED_NONE, hd204, "a string body stays valid JSON whatever the values hold"),
	H("HD205", "inline-secrets", "template", W, NEED_NONE, hd205, "no literal token in headers, body or URL"),

	H("HD301", "provider-detected", "request", W, NEED_NONE, hd301, "the URL is a known provider's commit-status endpoint"),
	H("HD302", "http-method", "request", F, NEED_NONE, hd302, "the method is the one the endpoint takes"),
	H("HD303", "commit-ref", "request", F, NEED_NONE, hd303, "the commit segment is the action's full commit SHA"),
	H("HD304", "auth-header", "request", F, NEED_NONE, hd304, "an auth header of a form the provider accepts"),
	H("HD305", "required-headers", "request", W, NEED_NONE, hd305, "Content-Type, User-Agent and API-version headers"),
	H("HD306", "header-hygiene", "request", F, NEED_NONE, hd306, "header names are tokens, values clean, no duplicates"),
	H("HD307", "body-schema", "request", F, NEED_NONE, hd307, "required body fields present with the right types"),
	H("HD308", "state-valid", "request", F, NEED_NONE, hd308, "every rendered state is one the provider accepts"),
	H("HD309", "field-limits", "request", F, NEED_NONE, hd309, "field lengths within the provider's limits"),
	H("HD310", "body-valid", "request", F, NEED_NONE, hd310, "the rendered body is valid UTF-8 JSON of sane size"),
	H("HD311", "gitlab-pipeline-ref", "request", W, NEED_NONE, hd311, "a GitLab status names ref or pipeline_id"),

	H("HD401", "identity-present", "status", W, NEED_NONE, hd401, "the status identity is set"),
	H("HD402", "identity-stable", "status", F, NEED_NONE, hd402, "the identity renders the same for every status"),
	G("HD403", "identity-shared", "status", F, NEED_NONE, hd403, "hooks posting to one repository share one identity"),
	H("HD404", "link-back", "status", F, NEED_NONE, hd404, "the link leads to the action's page"),
	H("HD405", "link-per-action", "status", W, NEED_NONE, hd405, "the link differs between two actions"),
	G("HD406", "lifecycle", "status", F, NEED_NONE, hd406, "success and failure both end in a terminal state"),
	G("HD407", "same-commit", "status", F, NEED_NONE, hd407, "every status of one action goes to the same commit"),

	H("HD501", "dns", "network", F, NEED_NETWORK, hd501, "the host resolves"),
	H("HD502", "public-address", "network", F, NEED_NETWORK, hd502, "every address is publicly routable"),
	H("HD503", "tcp-connect", "network", F, NEED_NETWORK, hd503, "the port accepts a connection"),
	H("HD504", "tls-handshake", "network", F, NEED_NETWORK, hd504, "TLS 1.2 or newer handshake succeeds"),
	H("HD505", "tls-chain", "network", F, NEED_NETWORK, hd505, "the chain verifies"),
	H("HD506", "tls-hostname", "network", F, NEED_NETWORK, hd506, "the certificate names the host"),
	H("HD507", "tls-expiry", "network", F, NEED_NETWORK, hd507, "the certificate is valid now and not about to expire"),
	H("HD508", "http-response", "network", F, NEED_NETWORK, hd508, "a request that writes nothing gets an answer"),
	H("HD509", "redirects", "network", F, NEED_NETWORK, hd509, "no redirect"),
	H("HD510", "plain-http", "network", F, NEED_NETWORK, hd510, "the token does not cross the network in clear"),
	H("HD511", "latency", "network", W, NEED_NETWORK, hd511, "the answer came within 5 s"),

	H("HD601", "token-valid", "provider", F, NEED_NETWORK | NEED_TOKEN, hd601, "an authenticated read succeeds"),
	H("HD602", "token-permission", "provider", F, NEED_NETWORK | NEED_TOKEN, hd602, "the token may write commit statuses"),
	H("HD603", "repo-access", "provider", F, NEED_NETWORK | NEED_TOKEN, hd603, "the repository is readable with the token"),
	H("HD604", "commit-exists", "provider", F, NEED_NETWORK | NEED_TOKEN, hd604, "the action's commit exists"),
	H("HD605", "existing-statuses", "provider", W, NEED_NETWORK | NEED_TOKEN, hd605, "the commit's existing statuses"),
	H("HD606", "send-test", "provider", F, NEED_NETWORK | NEED_TOKEN | NEED_SEND, hd606, "post one pending status and read it back"),
	H("HD607", "required-checks", "provider", W, NEED_NETWORK | NEED_TOKEN, hd607, "near-miss of a required status check"),

	H("HD701", "deliveries-exist", "history", W, NEED_NETWORK | NEED_API, hd701, "the hook has recent requests"),
	H("HD702", "delivery-success", "history", F, NEED_NETWORK | NEED_API, hd702, "the latest deliveries got 2xx"),
	H("HD703", "delivery-identity", "history", F, NEED_NETWORK | NEED_API, hd703, "the identity sent is the same across deliveries"),
	H("HD704", "delivery-link", "history", F, NEED_NETWORK | NEED_API, hd704, "the link sent is the action's page"),
	H("HD705", "delivery-lifecycle", "history", W, NEED_NETWORK | NEED_API, hd705, "each action's deliveries end in a terminal state"),
};

const size_t check_registry_len = sizeof(check_registry) / sizeof(check_registry[0]);
