/*
 * firing.c - which Devopness action statuses a hook fires on (SPEC.md,
 * "How a hook is analysed", step 2).
 *
 * Events give the statuses (status.c has the table); conditions on
 * "action.status" narrow them to their accepted values. Conditions on any
 * other path depend on the action, so they never narrow the set here:
 * they are only noted (other_conditions); conditions.c evaluates them
 * against a real action's values. Unknown event names are ignored here; HD108
 * reports them. Pure: reads the hook, writes *f, nothing else.
 */
#include "firing.h"

#include <string.h>

/* The statuses one action.status condition accepts. Values that are not
 * status names accept nothing (HD113 says so). */
static unsigned condition_statuses(const struct hd_condition *c)
{
	unsigned m = 0;

	for (size_t i = 0; i < c->nvalues; i++) {
		int s = hd_status_from_name(c->values[i]);

		if (s >= 0)
			m |= ST_BIT(s);
	}
	return m;
}

void firing_analyse(const struct hook *h, struct firing *f)
{
	unsigned specific = 0, cond_mask = ST_ALL;
	bool status_changed = false;
	int specific_event[ST_COUNT];

	memset(f, 0, sizeof(*f));
	for (int s = 0; s < ST_COUNT; s++) {
		f->event_of[s] = -1;
		specific_event[s] = -1;
	}

	for (size_t i = 0; i < h->nevents; i++) {
		int ev = hd_event_from_name(h->events[i]);
		unsigned m;

		if (ev < 0)
			continue;
		m = hd_event_statuses((enum hd_event)ev);
		if (ev == EV_STATUS_CHANGED) {
			status_changed = true;
		} else {
			specific |= m;
			for (int s = 0; s < ST_COUNT; s++)
				if ((m & ST_BIT(s)) && specific_event[s] < 0)
					specific_event[s] = ev;
		}
		f->events_mask |= m;
	}

	/* Conditions are ANDed: several on action.status intersect. */
	for (size_t i = 0; i < h->nconds; i++) {
		const struct hd_condition *c = &h->conds[i];

		if (c->path && strcmp(c->path, "action.status") == 0) {
			cond_mask &= condition_statuses(c);
			f->status_condition = true;
		} else {
			f->other_conditions = true;
		}
	}

	f->mask = f->events_mask & cond_mask;
	/* event_of is filled for every status the events cover (narrowed or
	 * not), so a check can name the event behind a status it discusses.
	 * A specific event wins over status_changed: it names the status. */
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(f->events_mask & ST_BIT(s)))
			continue;
		f->event_of[s] = specific_event[s] >= 0 ? specific_event[s]
							 : EV_STATUS_CHANGED;
	}
	/* Only a status the hook really fires on is sent twice. */
	if (status_changed)
		f->twice_mask = specific & f->mask;
}
