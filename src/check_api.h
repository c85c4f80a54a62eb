/*
 * check_api.h - what the API checks (check_api.c, HD102-HD106) share with
 * the delivery-history checks (check_history.c, HD701-HD705).
 */
#ifndef HD_CHECK_API_H
#define HD_CHECK_API_H

#include <stdbool.h>
#include "analyse.h"
#include "check.h"
#include "devopness.h"

/* Skips f, saying what is needed, when there are no API facts for a
 * pipeline (no --pipeline, no token, --offline). True when it skipped. */
bool api_unavailable(const struct analysis *a, struct finding *f);
/* Sets f's problem (the check's severity) from a failed API call, with a
 * hint per HTTP status; subject names what was asked ("pipeline 42"). */
enum check_status api_problem(struct finding *f, const struct api_call *c,
			      const char *subject);
/* The API's facts about the analysed hook, or NULL after setting f: skip
 * (no id, not read, placeholder) or, with judge_fetch, the failure of
 * GET /hooks/outgoing/{id}. */
const struct api_hook *api_hook_facts(const struct analysis *a,
				      struct finding *f, bool judge_fetch);

#endif
