/*
 * firing.h - which Devopness action statuses a hook fires on, from its
 * trigger_when.events and its action.status conditions (SPEC.md, "How a
 * hook is analysed", step 2).
 */
#ifndef HD_FIRING_H
#define HD_FIRING_H

#include <stdbool.h>
#include "hook.h"
#include "status.h"

struct firing {
	unsigned mask;                  /* statuses it fires on: ST_BIT(s) */
	unsigned events_mask;           /* statuses the events alone cover */
	int event_of[ST_COUNT];         /* enum hd_event that fires each status, -1 */
	unsigned twice_mask;            /* statuses two events both fire (HD110) */
	bool status_condition;          /* an action.status condition narrowed it */
	bool other_conditions;          /* conditions on other paths exist */
};

void firing_analyse(const struct hook *h, struct firing *f);

#endif
