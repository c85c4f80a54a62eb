/* test_firing.c - which statuses a hook fires on, from its events and its
 * action.status conditions. Hooks are built by hand: no loader needed. */
#include "firing.h"
#include "unit.h"

#define MAXC 4

struct fixture {
	struct hook h;
	char *events[8];
	struct hd_condition conds[MAXC];
};

/* events: NULL-terminated; each condition: path, then values, then NULL. */
static void hook_with(struct fixture *fx, const char *const *events)
{
	memset(fx, 0, sizeof(*fx));
	for (size_t i = 0; events && events[i]; i++)
		fx->events[fx->h.nevents++] = (char *)events[i];
	fx->h.has_events = events != NULL;
	fx->h.events = fx->events;
	fx->h.conds = fx->conds;
}

static void add_cond(struct fixture *fx, const char *path,
		     const char *const *values, size_t n)
{
	struct hd_condition *c = &fx->conds[fx->h.nconds++];

	c->path = (char *)path;
	c->values = (char **)values;
	c->nvalues = n;
}

static struct firing analyse(const struct fixture *fx)
{
	struct firing f;

	firing_analyse(&fx->h, &f);
	return f;
}

TEST(each_specific_event_fires_its_one_status)
{
	static const struct {
		const char *event;
		enum hd_status status;
		enum hd_event ev;
	} cases[] = {
		{ "action.queued", ST_QUEUED, EV_QUEUED },
		{ "action.started", ST_IN_PROGRESS, EV_STARTED },
		{ "action.completed", ST_COMPLETED, EV_COMPLETED },
		{ "action.failed", ST_FAILED, EV_FAILED },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *ev[] = { cases[i].event, NULL };
		struct fixture fx;
		struct firing f;

		hook_with(&fx, ev);
		f = analyse(&fx);
		EXPECT_INT(f.mask, ST_BIT(cases[i].status));
		EXPECT_INT(f.events_mask, ST_BIT(cases[i].status));
		EXPECT_INT(f.event_of[cases[i].status], cases[i].ev);
		EXPECT_INT(f.twice_mask, 0);
		EXPECT(!f.status_condition && !f.other_conditions);
		for (int s = 0; s < ST_COUNT; s++)
			if (s != (int)cases[i].status)
				EXPECT_INT(f.event_of[s], -1);
	}
}

TEST(status_changed_fires_all_seven_statuses)
{
	const char *ev[] = { "action.status_changed", NULL };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_ALL);
	EXPECT_INT(f.mask, 0x7f);
	for (int s = 0; s < ST_COUNT; s++)
		EXPECT_INT(f.event_of[s], EV_STATUS_CHANGED);
	EXPECT_INT(f.twice_mask, 0);
}

TEST(status_condition_narrows_status_changed)
{
	const char *ev[] = { "action.status_changed", NULL };
	const char *vals[] = { "completed", "failed" };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	add_cond(&fx, "action.status", vals, 2);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_BIT(ST_COMPLETED) | ST_BIT(ST_FAILED));
	EXPECT_INT(f.events_mask, ST_ALL);
	EXPECT(f.status_condition);
	EXPECT(!f.other_conditions);
}

TEST(status_conditions_intersect_and_ignore_non_status_values)
{
	const char *ev[] = { "action.status_changed", NULL };
	const char *a[] = { "completed", "failed", "success" };
	const char *b[] = { "failed", "queued" };
	const char *none[] = { "SUCCESS", "done" };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	add_cond(&fx, "action.status", a, 3);
	add_cond(&fx, "action.status", b, 2);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_BIT(ST_FAILED));

	hook_with(&fx, ev);
	add_cond(&fx, "action.status", none, 2);
	f = analyse(&fx);
	EXPECT_INT(f.mask, 0);
	EXPECT(f.status_condition);
}

TEST(conditions_on_other_paths_do_not_narrow)
{
	const char *ev[] = { "action.started", "action.completed", NULL };
	const char *vals[] = { "4321" };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	add_cond(&fx, "action.triggered_from.hook_parsed_variables."
		 "pipeline_id", vals, 1);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_BIT(ST_IN_PROGRESS) | ST_BIT(ST_COMPLETED));
	EXPECT(f.other_conditions);
	EXPECT(!f.status_condition);
}

TEST(status_changed_with_specific_events_fires_twice)
{
	const char *ev[] = { "action.status_changed", "action.completed",
			     "action.failed", NULL };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_ALL);
	EXPECT_INT(f.twice_mask, ST_BIT(ST_COMPLETED) | ST_BIT(ST_FAILED));
	EXPECT_INT(f.event_of[ST_COMPLETED], EV_COMPLETED);
	EXPECT_INT(f.event_of[ST_FAILED], EV_FAILED);
	EXPECT_INT(f.event_of[ST_QUEUED], EV_STATUS_CHANGED);
}

TEST(twice_counts_only_statuses_that_still_fire)
{
	const char *ev[] = { "action.status_changed", "action.failed", NULL };
	const char *vals[] = { "completed" };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	add_cond(&fx, "action.status", vals, 1);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_BIT(ST_COMPLETED));
	EXPECT_INT(f.twice_mask, 0);
}

TEST(repeated_specific_event_is_not_a_duplicate)
{
	const char *ev[] = { "action.completed", "action.completed", NULL };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	f = analyse(&fx);
	EXPECT_INT(f.mask, ST_BIT(ST_COMPLETED));
	EXPECT_INT(f.twice_mask, 0);
}

TEST(unknown_events_and_no_events_fire_nothing)
{
	const char *ev[] = { "action.finished", "action.Completed", NULL };
	struct fixture fx;
	struct firing f;

	hook_with(&fx, ev);
	f = analyse(&fx);
	EXPECT_INT(f.mask, 0);
	EXPECT_INT(f.events_mask, 0);
	hook_with(&fx, NULL);
	f = analyse(&fx);
	EXPECT_INT(f.mask, 0);
	for (int s = 0; s < ST_COUNT; s++)
		EXPECT_INT(f.event_of[s], -1);
}

TEST(status_and_event_names_round_trip)
{
	for (int s = 0; s < ST_COUNT; s++)
		EXPECT_INT(hd_status_from_name(hd_status_name[s]), s);
	for (int e = 0; e < EV_COUNT; e++)
		EXPECT_INT(hd_event_from_name(hd_event_name[e]), e);
	EXPECT_INT(hd_status_from_name("in_progress"), -1);
	EXPECT_INT(hd_status_from_name(NULL), -1);
	EXPECT_INT(hd_event_from_name("action.status-changed"), -1);
	EXPECT_STR(hd_status_name[ST_IN_PROGRESS], "in-progress");
	EXPECT_INT(hd_event_statuses(EV_STARTED), ST_BIT(ST_IN_PROGRESS));
}

int main(void)
{
	RUN(each_specific_event_fires_its_one_status);
	RUN(status_changed_fires_all_seven_statuses);
	RUN(status_condition_narrows_status_changed);
	RUN(status_conditions_intersect_and_ignore_non_status_values);
	RUN(conditions_on_other_paths_do_not_narrow);
	RUN(status_changed_with_specific_events_fires_twice);
	RUN(twice_counts_only_statuses_that_still_fire);
	RUN(repeated_specific_event_is_not_a_duplicate);
	RUN(unknown_events_and_no_events_fire_nothing);
	RUN(status_and_event_names_round_trip);
	return unit_done();
}
