/*
 * checks.h - the check functions, bound to their IDs in registry.c.
 * check_hook.c: HD101, HD107-HD114 (hook and pipeline input)
 * check_template.c: HD201-HD205 (templates)
 * check_request.c: HD301-HD311 (the request against the provider's API)
 * check_status.c: HD401-HD405 per hook; HD109, HD403, HD406, HD407 per group
 * check_net.c: HD501-HD511 (network and TLS, over the probe's facts)
 */
#ifndef HD_CHECKS_H
#define HD_CHECKS_H

#include "analyse.h"
#include "check.h"

/* Shared preconditions (check.c). Each returns true after filling a skip
 * with the reason when the check cannot run:
 * check_skip_no_request - the hook fires on no status, so nothing is sent;
 * check_skip_no_provider - that, or no provider was recognised (HD301). */
bool check_skip_no_request(const struct analysis *a, struct finding *f);
bool check_skip_no_provider(const struct analysis *a, struct finding *f);

#define HOOK_CHECK(fn) enum check_status fn(const struct analysis *a, struct finding *f)
#define GROUP_CHECK(fn) enum check_status fn(const struct group *g, struct finding *f)

HOOK_CHECK(hd101); HOOK_CHECK(hd107); HOOK_CHECK(hd108); HOOK_CHECK(hd110);
HOOK_CHECK(hd111); HOOK_CHECK(hd112); HOOK_CHECK(hd113); HOOK_CHECK(hd114);
GROUP_CHECK(hd109);

HOOK_CHECK(hd201); HOOK_CHECK(hd202); HOOK_CHECK(hd203); HOOK_CHECK(hd204);
HOOK_CHECK(hd205);

HOOK_CHECK(hd301); HOOK_CHECK(hd302); HOOK_CHECK(hd303); HOOK_CHECK(hd304);
HOOK_CHECK(hd305); HOOK_CHECK(hd306); HOOK_CHECK(hd307); HOOK_CHECK(hd308);
HOOK_CHECK(hd309); HOOK_CHECK(hd310); HOOK_CHECK(hd311);

HOOK_CHECK(hd401); HOOK_CHECK(hd402); HOOK_CHECK(hd404); HOOK_CHECK(hd405);
GROUP_CHECK(hd403); GROUP_CHECK(hd406); GROUP_CHECK(hd407);

HOOK_CHECK(hd501); HOOK_CHECK(hd502); HOOK_CHECK(hd503); HOOK_CHECK(hd504);
HOOK_CHECK(hd505); HOOK_CHECK(hd506); HOOK_CHECK(hd507); HOOK_CHECK(hd508);
HOOK_CHECK(hd509); HOOK_CHECK(hd510); HOOK_CHECK(hd511);

/* check_api.c: HD102-HD106; check_history.c: HD701-HD705 (Devopness API) */
HOOK_CHECK(hd102); HOOK_CHECK(hd103); HOOK_CHECK(hd104); HOOK_CHECK(hd105);
HOOK_CHECK(hd106);
HOOK_CHECK(hd701); HOOK_CHECK(hd702); HOOK_CHECK(hd703); HOOK_CHECK(hd704);
HOOK_CHECK(hd705);

/* check_provider.c: HD601-HD607 (the provider's API, over provider_api.h) */
HOOK_CHECK(hd601); HOOK_CHECK(hd602); HOOK_CHECK(hd603); HOOK_CHECK(hd604);
HOOK_CHECK(hd605); HOOK_CHECK(hd606); HOOK_CHECK(hd607);

#endif
