/* test_template.c - "{{ path }}" syntax scan and rendering. */
#include <stdlib.h>

#include "template.h"
#include "unit.h"

/* A lookup over a tiny fixed table; counts its calls. */
static int lookups;

static const char *lookup(void *ud, const char *path, size_t len)
{
	static const char *const table[][2] = {
		{ "action.id", "123456" },
		{ "action.status", "in-progress" },
		{ "a", "A" },
		{ "empty", "" },
	};

	(void)ud;
	lookups++;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strlen(table[i][0]) == len &&
		    memcmp(table[i][0], path, len) == 0)
			return table[i][1];
	return NULL;
}

static int scan_err(const char *s, size_t *offset, char *msg, size_t msgsz)
{
	struct tmpl_scan sc;
	int rc = tmpl_scan(s, &sc);

	*offset = sc.err_offset;
	snprintf(msg, msgsz, "%s", sc.err);
	tmpl_scan_free(&sc);
	return rc;
}

TEST(scan_lists_references_with_offsets_and_trimmed_paths)
{
	struct tmpl_scan sc;

	EXPECT_INT(tmpl_scan("x {{action.id}} y {{ \taction.status  }}", &sc),
		   0);
	EXPECT(sc.ok);
	EXPECT_INT(sc.nrefs, 2);
	if (sc.nrefs == 2) {
		EXPECT_STR(sc.refs[0].path, "action.id");
		EXPECT_INT(sc.refs[0].offset, 2);
		EXPECT_STR(sc.refs[1].path, "action.status");
		EXPECT_INT(sc.refs[1].offset, 18);
	}
	tmpl_scan_free(&sc);
}

TEST(scan_accepts_literal_text_and_a_stray_closing_brace_pair)
{
	struct tmpl_scan sc;

	EXPECT_INT(tmpl_scan("no refs here", &sc), 0);
	EXPECT_INT(sc.nrefs, 0);
	tmpl_scan_free(&sc);
	EXPECT_INT(tmpl_scan("a }} b { c } {{ a }}}", &sc), 0);
	EXPECT_INT(sc.nrefs, 1);
	tmpl_scan_free(&sc);
	EXPECT_INT(tmpl_scan("", &sc), 0);
	tmpl_scan_free(&sc);
}

TEST(scan_reports_unclosed_reference_at_its_offset)
{
	size_t off;
	char msg[160];

	EXPECT_INT(scan_err("abc {{ action.id", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(off, 4);
	EXPECT_STR(msg, "'{{' is never closed");
	EXPECT_INT(scan_err("{{ a {{ b }}", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(off, 0);
	EXPECT(strstr(msg, "next '{{'") != NULL);
	EXPECT_INT(scan_err("x {{ a }", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(off, 2);
}

TEST(scan_reports_empty_reference)
{
	size_t off;
	char msg[160];

	EXPECT_INT(scan_err("ok {{ }}", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(off, 3);
	EXPECT_STR(msg, "empty reference '{{ }}'");
	EXPECT_INT(scan_err("{{}}", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(off, 0);
}

TEST(scan_rejects_what_is_not_a_plain_dotted_path)
{
	size_t off;
	char msg[160];

	EXPECT_INT(scan_err("{{ action.id | upper }}", &off, msg, sizeof(msg)),
		   -1);
	EXPECT(strstr(msg, "filters") != NULL);
	EXPECT_INT(scan_err("{{ action id }}", &off, msg, sizeof(msg)), -1);
	EXPECT(strstr(msg, "spaces") != NULL);
	EXPECT_INT(scan_err("{{ action.id + 1 }}", &off, msg, sizeof(msg)),
		   -1);
	EXPECT(strstr(msg, "expressions") != NULL);
	EXPECT_INT(scan_err("{{ action['id'] }}", &off, msg, sizeof(msg)), -1);
	EXPECT(strstr(msg, "'['") != NULL);
	EXPECT_INT(scan_err("{{ action..id }}", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(scan_err("{{ .id }}", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(scan_err("{{ action. }}", &off, msg, sizeof(msg)), -1);
	EXPECT_INT(scan_err("pre {{{ action.id }}}", &off, msg, sizeof(msg)),
		   -1);
	EXPECT_INT(off, 4);
	EXPECT(strstr(msg, "'{{{'") != NULL);
	EXPECT_INT(scan_err("{{ a\nb }}", &off, msg, sizeof(msg)), -1);
	EXPECT(strstr(msg, "control character") != NULL);
}

TEST(scan_keeps_first_error_and_still_lists_later_references)
{
	struct tmpl_scan sc;

	EXPECT_INT(tmpl_scan("{{ }} {{ x|y }} {{ action.id }}", &sc), -1);
	EXPECT(!sc.ok);
	EXPECT_INT(sc.err_offset, 0);
	EXPECT_INT(sc.nrefs, 1);
	if (sc.nrefs == 1)
		EXPECT_STR(sc.refs[0].path, "action.id");
	tmpl_scan_free(&sc);
}

TEST(has_refs_is_true_only_with_an_opening_pair)
{
	EXPECT(tmpl_has_refs("a {{ b }}"));
	EXPECT(tmpl_has_refs("{{"));
	EXPECT(!tmpl_has_refs("a { b } }}"));
	EXPECT(!tmpl_has_refs(""));
	EXPECT(!tmpl_has_refs(NULL));
}

TEST(render_substitutes_with_and_without_inner_spaces)
{
	int missing = -1;
	char *out = tmpl_render("https://app.devopness.com/actions/{{action.id}}"
				" {{ action.status }}/{{\ta\t}}", lookup, NULL,
				&missing);

	EXPECT_STR(out, "https://app.devopness.com/actions/123456 "
			"in-progress/A");
	EXPECT_INT(missing, 0);
	free(out);
}

TEST(render_counts_missing_variables_and_renders_them_empty)
{
	int missing = -1;
	char *out = tmpl_render("[{{ nope }}][{{ empty }}][{{ also.nope }}]",
				lookup, NULL, &missing);

	EXPECT_STR(out, "[][][]");
	EXPECT_INT(missing, 2);
	free(out);
}

TEST(render_copies_malformed_references_literally)
{
	int missing = -1;
	char *out;

	out = tmpl_render("a {{ b | c }} {{ a }}", lookup, NULL, &missing);
	EXPECT_STR(out, "a {{ b | c }} A");
	free(out);
	out = tmpl_render("x {{{ a }}} y", lookup, NULL, &missing);
	EXPECT_STR(out, "x {{{ a }}} y");
	free(out);
	out = tmpl_render("open {{ a", lookup, NULL, &missing);
	EXPECT_STR(out, "open {{ a");
	free(out);
	out = tmpl_render("{{ a {{ a }}", lookup, NULL, &missing);
	EXPECT_STR(out, "{{ a A");
	free(out);
	out = tmpl_render("{{ }}}} {", lookup, NULL, &missing);
	EXPECT_STR(out, "{{ }}}} {");
	EXPECT_INT(missing, 0);
	free(out);
}

TEST(render_of_literal_text_is_a_copy_and_looks_nothing_up)
{
	char *out;

	lookups = 0;
	out = tmpl_render("plain } text {", lookup, NULL, NULL);
	EXPECT_STR(out, "plain } text {");
	EXPECT_INT(lookups, 0);
	free(out);
	out = tmpl_render("", lookup, NULL, NULL);
	EXPECT_STR(out, "");
	free(out);
}

TEST(render_and_scan_agree_on_what_is_a_reference)
{
	static const char *const cases[] = {
		"{{a}}{{ b }}", "{{ x|y }}{{a}}", "{{{a}}", "{{ a", "}}{{a}}{{",
		"{{ a.b-c_d.0 }}",
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tmpl_scan sc;

		tmpl_scan(cases[i], &sc);
		lookups = 0;
		free(tmpl_render(cases[i], lookup, NULL, NULL));
		EXPECT_INT(lookups, sc.nrefs);
		tmpl_scan_free(&sc);
	}
}

int main(void)
{
	RUN(scan_lists_references_with_offsets_and_trimmed_paths);
	RUN(scan_accepts_literal_text_and_a_stray_closing_brace_pair);
	RUN(scan_reports_unclosed_reference_at_its_offset);
	RUN(scan_reports_empty_reference);
	RUN(scan_rejects_what_is_not_a_plain_dotted_path);
	RUN(scan_keeps_first_error_and_still_lists_later_references);
	RUN(has_refs_is_true_only_with_an_opening_pair);
	RUN(render_substitutes_with_and_without_inner_spaces);
	RUN(render_counts_missing_variables_and_renders_them_empty);
	RUN(render_copies_malformed_references_literally);
	RUN(render_of_literal_text_is_a_copy_and_looks_nothing_up);
	RUN(render_and_scan_agree_on_what_is_a_reference);
	return unit_done();
}
