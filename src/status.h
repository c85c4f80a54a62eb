/*
 * status.h - Devopness action statuses and outgoing-hook events, as the
 * OpenAPI description defines them (ActionStatus, HookTriggerWhen).
 */
#ifndef HD_STATUS_H
#define HD_STATUS_H

enum hd_status {
	ST_PENDING,
	ST_WAITING,
	ST_SKIPPED,
	ST_QUEUED,
	ST_IN_PROGRESS,
	ST_COMPLETED,
	ST_FAILED,
	ST_COUNT
};

/* "pending", "waiting", ... "failed"; index by enum hd_status. */
extern const char *const hd_status_name[ST_COUNT];
/* Returns the status for a name, or -1. */
int hd_status_from_name(const char *name);

enum hd_event {
	EV_STATUS_CHANGED,
	EV_QUEUED,
	EV_STARTED,
	EV_COMPLETED,
	EV_FAILED,
	EV_COUNT
};
extern const char *const hd_event_name[EV_COUNT];
int hd_event_from_name(const char *name);
/* The statuses an event fires on, as a bit mask of (1u << ST_*). */
unsigned hd_event_statuses(enum hd_event ev);

#define ST_BIT(s) (1u << (s))
#define ST_ALL ((1u << ST_COUNT) - 1)

struct sbuf;
/* Appends the names of the statuses in mask, in lifecycle order, sep
 * between them and last_sep before the last ("queued, completed and
 * failed"); returns how many. */
int hd_status_words(struct sbuf *b, unsigned mask, const char *sep,
		    const char *last_sep);

#endif
