/*
 * cmd_render.c - `hookdoctor render`: the dry run. Prints the exact
 * request(s) Devopness would send for each status a hook fires on, with
 * the sample (or --var adjusted) action, or a real one from the Devopness
 * API (--action, or the latest of --pipeline), secrets redacted.
 */
#include <stdlib.h>
#include <string.h>
#include "analyse.h"
#include "cmd.h"
#include "devopness.h"
#include "hook.h"
#include "redact.h"
#include "render_out.h"

/* Statuses selected by --event and --status; ST_ALL when neither. */
static int selected_statuses(const struct options *o, unsigned *mask)
{
	*mask = ST_ALL;
	if (o->event) {
		int ev = hd_event_from_name(o->event);

		if (ev < 0) {
			char *red = redact_text(o->event);

			fprintf(stderr, "hookdoctor: --event: unknown event '%s' "
				"(action.status_changed, action.queued, action.started, "
				"action.completed, action.failed)\n", red);
			free(red);
			return 2;
		}
		*mask &= hd_event_statuses((enum hd_event)ev);
	}
	if (o->status) {
		int st = hd_status_from_name(o->status);

		if (st < 0) {
			char *red = redact_text(o->status);

			fprintf(stderr, "hookdoctor: --status: unknown status '%s' "
				"(pending, waiting, skipped, queued, in-progress, "
				"completed, failed)\n", red);
			free(red);
			return 2;
		}
		*mask &= ST_BIT(st);
	}
	return 0;
}

int cmd_render(const struct options *o)
{
	struct hook_input in;
	struct api_facts *api = NULL;
	struct rules *rules;
	struct hook h;
	struct hd_error err = {{0}};
	unsigned mask;
	unsigned long rendered = 0;
	int rc;

	if ((rc = selected_statuses(o, &mask)) || (rc = cmd_validate_vars(o)))
		return rc;
	if (!(rules = cmd_load_rules()))
		return 3;
	if (cmd_validate_provider(o, rules)) {
		rules_free(rules);
		return 2;
	}
	/* --pipeline without --file, and --action, read the API. */
	if ((rc = cmd_open_input_api(o, &in, &api))) {
		rules_free(rules);
		return rc;
	}
	render_out_begin(stdout, o->as);
	/* Until a write fails (the reader went away): main() says how. */
	while (!ferror(stdout) && hook_input_next(&in, &h, &err) == 1) {
		struct analysis a;

		if (analyse_hook_action(&a, &h, o, rules,
					api ? api->action_json : NULL, &err) == 0) {
			unsigned held = 0;

			for (size_t i = 0; i < a.nprimary; i++) {
				if (!(mask & ST_BIT(a.req[i].status)))
					continue;
				render_out_request(stdout, o->as, &a, &a.req[i]);
				rendered++;
				if (!(a.fires_for_action & ST_BIT(a.req[i].status)))
					held++;
			}
			/* What it would send, though its conditions keep it
			 * from firing for this action (HD113). */
			if (held && !o->quiet)
				fprintf(stderr, "hookdoctor: note: %s: its trigger_when."
					"conditions keep it from firing for this action "
					"(hookdoctor check names them, HD113); rendered "
					"anyway\n", h.source);
			if (!a.nprimary && !o->quiet)
				fprintf(stderr, "hookdoctor: note: %s fires on no status "
					"(check trigger_when.events)\n", h.source);
		}
		analysis_free(&a);
		hook_free(&h);
	}
	render_out_end(stdout, o->as);
	if (!rendered && !o->quiet)
		fprintf(stderr, "hookdoctor: note: no request to render for the "
			"statuses selected\n");
	hook_input_close(&in);
	api_facts_free(api);
	rules_free(rules);
	return 0;
}
