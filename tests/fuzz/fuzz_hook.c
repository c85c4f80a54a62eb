/*
 * fuzz_hook.c - the hook loader and everything an offline `check` does
 * with what it loads, on arbitrary input.
 *
 * The input is the text of a hook file. It goes through the path
 * `hookdoctor check --offline` takes, in memory: hook_input_open_text()
 * (jsonpos_validate and the array split), hook_input_validate(), then per
 * hook the analysis, every offline check, the JSON and text reporters and
 * every form of `render`, and at the end the pipeline-level checks. The
 * reports go to /dev/null: what is fuzzed is that nothing crashes, leaks
 * or reads out of bounds, whatever the input; and that the loader's
 * one-pass tree of text the scanner accepted (jsonpos_tree_valid) is the
 * tree cJSON parses from it, node for node (tests/unit/tree_same.h).
 */
#include "fuzz.h"

#include "analyse.h"
#include "check.h"
#include "hook.h"
#include "render_out.h"
#include "report.h"
#include "jsonpos.h"
#include "../unit/tree_same.h"

static FILE *devnull(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

static void check_hook(const struct options *o, struct reporter *json,
		       struct reporter *text, struct analysis *a)
{
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));
	size_t n = 0;

	for (size_t i = 0; i < check_registry_len; i++) {
		const struct check_def *d = &check_registry[i];

		if (d->scope != SCOPE_HOOK || !d->hook_fn ||
		    (d->needs & NEED_NETWORK) || !options_check_enabled(o, d->id))
			continue;
		memset(&f[n], 0, sizeof(f[n]));
		f[n].def = d;
		d->hook_fn(a, &f[n]);
		if (!f[n].message)
			f[n].message = xstrdup("");
		n++;
	}
	json->hook(json, a, f, n);
	text->hook(text, a, f, n);
	for (enum hd_render_as as = AS_HTTP; as <= AS_JSON; as++) {
		render_out_begin(devnull(), as);
		for (size_t i = 0; i < a->nreq; i++)
			render_out_request(devnull(), as, a, &a->req[i]);
		render_out_end(devnull(), as);
	}
	for (size_t i = 0; i < n; i++)
		finding_clear(&f[i]);
	free(f);
}

static void check_groups(const struct options *o, struct reporter *json,
			 struct groups *gs)
{
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));

	json->pipeline_begin(json);
	for (size_t k = 0; k < gs->n; k++) {
		size_t n = 0;

		for (size_t i = 0; i < check_registry_len; i++) {
			const struct check_def *d = &check_registry[i];

			if (d->scope != SCOPE_PIPELINE || !d->group_fn ||
			    !options_check_enabled(o, d->id))
				continue;
			memset(&f[n], 0, sizeof(f[n]));
			f[n].def = d;
			d->group_fn(&gs->g[k], &f[n]);
			if (!f[n].message)
				f[n].message = xstrdup("");
			n++;
		}
		json->pipeline(json, &gs->g[k], f, n);
		for (size_t i = 0; i < n; i++)
			finding_clear(&f[i]);
	}
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct options *o = fuzz_options();
	const struct rules *rules = fuzz_rules();
	struct hd_error err = {{0}};
	struct hook_input in;
	struct groups gs = {0};
	struct summary sum = {0};
	struct reporter json, text;
	struct hook h;

	if (hook_input_open_text(&in, fuzz_text(data, size), size, "fuzz.json",
				 &err) < 0)
		return 0;
	{
		cJSON *mine = jsonpos_tree_valid(in.text, 0, in.len);
		cJSON *theirs = cJSON_ParseWithLength(in.text, in.len);

		if (!tree_same(mine, theirs))
			abort();        /* the loader's tree is not cJSON's */
		cJSON_Delete(mine);
		cJSON_Delete(theirs);
	}
	if (hook_input_validate(&in, &err) < 0) {
		hook_input_close(&in);
		return 0;
	}
	report_json_init(&json, devnull(), o);
	report_text_init(&text, devnull(), o);
	json.begin(&json);
	text.begin(&text);
	while (hook_input_next(&in, &h, &err) == 1) {
		struct analysis a;

		if (analyse_hook(&a, &h, o, rules, &err) == 0) {
			check_hook(o, &json, &text, &a);
			groups_add(&gs, &a);
		}
		analysis_free(&a);
		hook_free(&h);
	}
	check_groups(o, &json, &gs);
	json.end(&json, &sum);
	text.pipeline_begin(&text);
	text.end(&text, &sum);
	groups_free(&gs);
	hook_input_close(&in);
	return 0;
}
