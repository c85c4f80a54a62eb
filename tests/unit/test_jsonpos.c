/*
 * test_jsonpos.c - the strict scanner names each slip at the right
 * line:column, parsed nodes map back to where they start, and the
 * one-pass tree of validated text is the tree cJSON parses.
 */
#include <glob.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"
#include "tree_same.h"
#include "unit.h"

static char msg[1024];

/* Validates s; returns its result and leaves the message in msg. */
static int check_n(const char *s, size_t n)
{
	struct hd_error err = {{0}};
	int rc = jsonpos_validate(s, n, "t.json", &err);

	snprintf(msg, sizeof(msg), "%s", rc ? err.msg : "");
	return rc;
}

static int check(const char *s)
{
	return check_n(s, strlen(s));
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define EXPECT_ERR(text, where, words)                                     \
	do {                                                               \
		EXPECT_INT(check(text), -1);                               \
		if (!starts_with(msg, where) || !strstr(msg, words)) {     \
			printf("  %s:%d: got \"%s\", want \"%s...%s\"\n",  \
			       __FILE__, __LINE__, msg, where, words);     \
			unit_cur_failed = 1;                               \
		}                                                          \
	} while (0)

TEST(accepts_valid_documents)
{
	EXPECT_INT(check("{\"a\": [1, -2.5e+3, true, false, null, \"x\\u00e9\\n\"],"
			 " \"b\": {}, \"c\": []}"), 0);
	EXPECT_INT(check("  \"just a string\"  \n"), 0);
	EXPECT_INT(check("0"), 0);
	EXPECT_INT(check("[\"\\ud83d\\ude00 caf\xc3\xa9 \xe2\x9c\x93\"]"), 0);
}

/* The guide's request_body ends with a comma after "key". */
TEST(names_the_guides_trailing_comma_before_brace)
{
	EXPECT_ERR("{\n  \"request_body\": {\n    \"context\": \"ci\",\n"
		   "    \"key\": \"ci\",\n  }\n}",
		   "t.json:4:16: ", "trailing comma before '}' (JSON allows "
		   "none; the documented examples have one after the last "
		   "field)");
}

TEST(names_trailing_comma_before_bracket)
{
	EXPECT_ERR("[\n  1,\n  2,\n]", "t.json:3:4: ",
		   "trailing comma before ']'");
}

TEST(names_a_note_comment)
{
	EXPECT_ERR("{\n  \"request_body\": {\n"
		   "    // NOTE: review the fields bellow\n"
		   "    \"state\": \"pending\"\n  }\n}",
		   "t.json:3:5: ", "a comment: JSON has none — a `// NOTE` "
		   "line left from the documented curl example?");
	/* after a comma in an array, as in the guide's request_headers */
	EXPECT_ERR("[\n  {},\n  // NOTE: add Request Headers here\n]",
		   "t.json:3:3: ", "a comment");
	EXPECT_ERR("{\"a\": 1 /* why */}", "t.json:1:9: ", "/* */ comment");
}

TEST(names_a_placeholder)
{
	EXPECT_ERR("{\n  \"accepted_values\": [\n    <pipeline_id>\n  ]\n}",
		   "t.json:3:5: ", "a placeholder from the documented example: "
		   "replace <pipeline_id> with a value");
	EXPECT_ERR("{\"resource_id\": <application_id>}", "t.json:1:17: ",
		   "replace <application_id> with a value");
}

TEST(names_a_placeholder_with_choices)
{
	EXPECT_ERR("{\n  \"state\": <\"INPROGRESS\" | \"pending\" | \"running\">,"
		   "\n}", "t.json:2:12: ",
		   "replace <\"INPROGRESS\" | \"pending\" | \"running\"> with one "
		   "of its choices, e.g. \"INPROGRESS\"");
}

TEST(names_single_quotes_and_backticks)
{
	EXPECT_ERR("{\"state\": 'pending'}", "t.json:1:11: ",
		   "single-quoted string");
	EXPECT_ERR("{'state': \"pending\"}", "t.json:1:2: ",
		   "single-quoted string");
	EXPECT_ERR("[`x`]", "t.json:1:2: ", "backtick");
}

TEST(names_raw_line_breaks_and_control_chars_in_strings)
{
	EXPECT_ERR("{\n  \"description\": \"two\nlines\"\n}", "t.json:2:22: ",
		   "a line break inside a string (started at 2:18)");
	EXPECT_ERR("[\"a\tb\"]", "t.json:1:4: ", "raw control character 0x09 "
		   "inside a string: a tab: write it as \\t");
}

TEST(names_invalid_escapes)
{
	EXPECT_ERR("[\"C:\\Users\"]", "t.json:1:5: ", "an invalid escape '\\U'");
	EXPECT_ERR("[\"\\u12G4\"]", "t.json:1:3: ", "four hex digits");
	EXPECT_ERR("[\"\\ud800x\"]", "t.json:1:3: ", "unpaired UTF-16 surrogate "
		   "\\uD800");
	EXPECT_ERR("[\"\\udc00\"]", "t.json:1:3: ", "unpaired UTF-16 surrogate");
}

TEST(names_bad_utf8)
{
	/* "café" saved as Latin-1 */
	EXPECT_ERR("[\"caf\xe9\"]", "t.json:1:6: ", "invalid UTF-8 (byte 0xE9)");
	/* overlong "/" and an encoded surrogate are not UTF-8 either */
	EXPECT_ERR("[\"\xc0\xaf\"]", "t.json:1:3: ", "invalid UTF-8");
	EXPECT_ERR("[\"\xed\xa0\x80\"]", "t.json:1:3: ", "invalid UTF-8");
	EXPECT_ERR("[\"\xe2\x82\"]", "t.json:1:3: ", "invalid UTF-8");
	EXPECT_ERR("[1, \xff]", "t.json:1:5: ", "invalid UTF-8");
}

TEST(names_empty_input)
{
	EXPECT_ERR("", "t.json:1:1: ", "empty input");
	EXPECT_ERR("\n  \n", "t.json:3:1: ", "only whitespace");
}

TEST(names_trailing_garbage)
{
	EXPECT_ERR("{\"a\": 1}\n{\"b\": 2}", "t.json:2:1: ",
		   "put them in one array [{...}, {...}]");
	EXPECT_ERR("{\"a\": 1},\n{\"b\": 2}", "t.json:1:9: ",
		   "put them in one array");
	EXPECT_ERR("{\"a\": 1}}", "t.json:1:9: ", "an extra '}'");
	EXPECT_ERR("[1] x", "t.json:1:5: ", "after the end of the JSON document");
	EXPECT_ERR("{} // done", "t.json:1:4: ", "a comment");
}

TEST(accepts_a_bom_and_does_not_count_it_in_columns)
{
	EXPECT_INT(check("\xef\xbb\xbf{\"a\": 1}"), 0);
	EXPECT_ERR("\xef\xbb\xbf{\"a\": 1,}", "t.json:1:8: ", "trailing comma");
}

TEST(rejects_utf16_and_nul_bytes)
{
	EXPECT_INT(check_n("\xff\xfe{\0}\0", 6), -1);
	EXPECT(starts_with(msg, "t.json:1:1: the file is UTF-16"));
	EXPECT_INT(check_n("{\0}\0", 4), -1);
	EXPECT(starts_with(msg, "t.json:1:1: the file is UTF-16"));
	EXPECT_INT(check_n("[1, \0]", 6), -1);
	EXPECT(starts_with(msg, "t.json:1:5: a NUL byte"));
}

TEST(limits_nesting_to_512)
{
	char deep[1100];

	memset(deep, '[', 512);
	memset(deep + 512, ']', 512);
	deep[1024] = '\0';
	EXPECT_INT(check(deep), 0);
	memset(deep, '[', 513);
	memset(deep + 513, ']', 513);
	deep[1026] = '\0';
	EXPECT_ERR(deep, "t.json:1:513: ", "nesting deeper than 512 levels");
}

TEST(names_truncated_input_and_the_open_bracket)
{
	EXPECT_ERR("[\n  {\n    \"name\": \"x\",\n", "t.json:4:1: ",
		   "unexpected end of input: the object opened at 2:3 is not "
		   "closed (a '}' is missing");
	EXPECT_ERR("{\"a\": \"unfinished", "t.json:1:7: ",
		   "a string that is not closed");
	EXPECT_ERR("{\"a\": [1, 2}", "t.json:1:12: ", "'}' closes an object, but "
		   "the array opened at 1:7 is still open");
}

TEST(names_missing_commas_and_colons)
{
	EXPECT_ERR("{\n  \"a\": 1\n  \"b\": 2\n}", "t.json:3:3: ",
		   "a ',' is missing before this member");
	EXPECT_ERR("[1 2]", "t.json:1:4: ", "a ',' is missing between two array "
		   "items");
	EXPECT_ERR("{\"a\" 1}", "t.json:1:6: ", "expected ':' after the member "
		   "name \"a\"");
	EXPECT_ERR("{\"a\": }", "t.json:1:7: ", "the member \"a\" has no value");
	EXPECT_ERR("[1,,2]", "t.json:1:4: ", "two commas in a row");
}

TEST(names_non_json_numbers_and_words)
{
	EXPECT_ERR("[007]", "t.json:1:2: ", "leading zero");
	EXPECT_ERR("[+1]", "t.json:1:2: ", "'+' sign");
	EXPECT_ERR("[.5]", "t.json:1:2: ", "digit first");
	EXPECT_ERR("[1.]", "t.json:1:2: ", "digit after the decimal point");
	EXPECT_ERR("[1e]", "t.json:1:2: ", "exponent has no digits");
	EXPECT_ERR("[0x1F]", "t.json:1:2: ", "no hex numbers");
	EXPECT_ERR("{\"active\": True}", "t.json:1:12: ", "'True' is not JSON");
	EXPECT_ERR("[NaN]", "t.json:1:2: ", "'NaN' is not a JSON value");
	EXPECT_ERR("{name: 1}", "t.json:1:2: ", "a member name without quotes: "
		   "write \"name\"");
	EXPECT_ERR("[pending]", "t.json:1:2: ", "a string needs double quotes");
}

TEST(names_typographic_quotes)
{
	EXPECT_ERR("{\"state\": \xe2\x80\x9cpending\xe2\x80\x9d}",
		   "t.json:1:11: ", "typographic quote");
}

TEST(counts_columns_in_bytes)
{
	/* "é" is two bytes: the comma after it is at byte column 9 */
	EXPECT_ERR("[\"caf\xc3\xa9\",]", "t.json:1:9: ", "trailing comma");
}

TEST(lists_array_element_ranges)
{
	const char *s = " [ {\"a\": \"]}\\\"\"} , [1, [2]] ,\"x\", 3 ] ";
	size_t *st, *en;
	long n = jsonpos_array_elements(s, strlen(s), &st, &en, 100);

	EXPECT_INT(n, 4);
	if (n == 4) {
		char first[32];

		snprintf(first, sizeof(first), "%.*s", (int)(en[0] - st[0]),
			 s + st[0]);
		EXPECT_STR(first, "{\"a\": \"]}\\\"\"}");
		EXPECT_INT(en[1] - st[1], strlen("[1, [2]]"));
		EXPECT_INT(s[st[2]], '"');
		EXPECT_INT(en[2] - st[2], 3);
		EXPECT_INT(s[st[3]], '3');
		EXPECT_INT(en[3] - st[3], 1);
	}
	free(st);
	free(en);
	EXPECT_INT(jsonpos_array_elements("{}", 2, &st, &en, 100), -1);
	EXPECT_INT(jsonpos_array_elements("[ ]", 3, &st, &en, 100), 0);
	free(st);
	free(en);
	/* past max it stops: one over is stored, the rest is not read */
	EXPECT_INT(jsonpos_array_elements("[1, 2, 3, 4, 5]", 15, &st, &en, 2), 3);
	free(st);
	free(en);
	EXPECT_INT(jsonpos_array_elements("[1, 2, 3]", 9, &st, &en, 3), 3);
	free(st);
	free(en);
}

TEST(maps_nodes_to_their_positions)
{
	const char *s = "{\n  \"name\": \"x\",\n  \"settings\": {\n"
			"    \"request_headers\": [\n"
			"      {\"name\": \"A\", \"value\": \"b\"}\n    ]\n  }\n}\n";
	struct jsonpos pos;
	struct hd_error err = {{0}};
	cJSON *root = jsonpos_parse(s, 0, strlen(s), "t.json", &pos, &err);
	const cJSON *hs, *item, *v;
	int line, col;
	size_t off;

	EXPECT(root != NULL);
	if (!root)
		return;
	jsonpos_where(&pos, root, &line, &col);
	EXPECT_INT(line, 1);
	EXPECT_INT(col, 1);
	jsonpos_where(&pos, cJSON_GetObjectItem(root, "name"), &line, &col);
	EXPECT_INT(line, 2);
	EXPECT_INT(col, 11);
	jsonpos_where_key(&pos, cJSON_GetObjectItem(root, "name"), &line, &col);
	EXPECT_INT(line, 2);
	EXPECT_INT(col, 3);
	hs = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "settings"),
				 "request_headers");
	jsonpos_where(&pos, hs, &line, &col);
	EXPECT_INT(line, 4);
	EXPECT_INT(col, 24);
	item = cJSON_GetArrayItem(hs, 0);
	jsonpos_where(&pos, item, &line, &col);
	EXPECT_INT(line, 5);
	EXPECT_INT(col, 7);
	/* an array item has no member name: its key position is its own */
	jsonpos_where_key(&pos, item, &line, &col);
	EXPECT_INT(col, 7);
	v = cJSON_GetObjectItem(item, "value");
	jsonpos_where(&pos, v, &line, &col);
	EXPECT_INT(line, 5);
	EXPECT_INT(col, 30);
	EXPECT(jsonpos_offset(&pos, v, &off));
	EXPECT_INT(s[off], '"');
	EXPECT_INT(s[off + 1], 'b');
	jsonpos_where(&pos, NULL, &line, &col);
	EXPECT_INT(line, 0);
	EXPECT_INT(pos.n, 7);
	cJSON_Delete(root);
	jsonpos_free(&pos);
}

TEST(keeps_duplicate_keys_in_order)
{
	const char *s = "{\"a\": 1,\n \"a\": [2],\n \"b\": 3}";
	struct jsonpos pos;
	cJSON *root = jsonpos_parse(s, 0, strlen(s), "t.json", &pos, NULL);
	int line, col;

	EXPECT(root != NULL);
	if (!root)
		return;
	jsonpos_where(&pos, root->child->next, &line, &col);
	EXPECT_INT(line, 2);
	EXPECT_INT(col, 7);
	jsonpos_where(&pos, root->child->next->next, &line, &col);
	EXPECT_INT(line, 3);
	EXPECT_INT(col, 7);
	cJSON_Delete(root);
	jsonpos_free(&pos);
}

TEST(parses_a_slice_with_positions_in_the_whole_text)
{
	const char *s = "\xef\xbb\xbf[\n  {\"a\": 1},\n  {\"b\":\n    [true]}\n]";
	size_t *st, *en;
	long n = jsonpos_array_elements(s, strlen(s), &st, &en, 100);
	struct jsonpos pos, pos2;
	struct jsonpos_mark m;
	cJSON *root, *root2;
	int line, col;

	EXPECT_INT(n, 2);
	root = jsonpos_parse(s, st[1], en[1], "t.json", &pos, NULL);
	EXPECT(root != NULL);
	jsonpos_mark_init(&m, s, strlen(s));
	jsonpos_mark_advance(&m, s, st[0]);
	jsonpos_mark_advance(&m, s, st[1]);
	root2 = jsonpos_parse_at(s, &m, en[1], "t.json", &pos2, NULL);
	EXPECT(root2 != NULL);
	if (root && root2) {
		jsonpos_where(&pos, root, &line, &col);
		EXPECT_INT(line, 3);
		EXPECT_INT(col, 3);
		jsonpos_where(&pos, cJSON_GetObjectItem(root, "b")->child,
			      &line, &col);
		EXPECT_INT(line, 4);
		EXPECT_INT(col, 6);
		jsonpos_where(&pos2, cJSON_GetObjectItem(root2, "b")->child,
			      &line, &col);
		EXPECT_INT(line, 4);
		EXPECT_INT(col, 6);
	}
	/* the BOM is not a column: '[' is at 1:1 */
	jsonpos_linecol(s, 3, &line, &col);
	EXPECT_INT(line, 1);
	EXPECT_INT(col, 1);
	cJSON_Delete(root);
	cJSON_Delete(root2);
	jsonpos_free(&pos);
	jsonpos_free(&pos2);
	free(st);
	free(en);
}

TEST(parse_reports_syntax_errors_with_position)
{
	const char *s = "{\n  \"a\": [1,],\n}";
	struct jsonpos pos;
	struct hd_error err = {{0}};

	EXPECT(jsonpos_parse(s, 0, strlen(s), "t.json", &pos, &err) == NULL);
	EXPECT(starts_with(err.msg, "t.json:2:10: trailing comma before ']'"));
	jsonpos_free(&pos);
}

TEST(linecol_counts_lines)
{
	int line, col;

	jsonpos_linecol("ab\ncd\n\nef", 7, &line, &col);
	EXPECT_INT(line, 4);
	EXPECT_INT(col, 1);
	jsonpos_linecol("ab\ncd", 4, &line, &col);
	EXPECT_INT(line, 2);
	EXPECT_INT(col, 2);
}

/* jsonpos_parse_valid_at (validated text, no checks) pairs every node
 * with the same position, key position and offset as jsonpos_parse_at. */
static void same_positions(const char *text, size_t start)
{
	struct jsonpos a, b;
	struct jsonpos_mark m;
	struct hd_error err = {{0}};
	size_t end = strlen(text);
	cJSON *ra, *rb;

	EXPECT(jsonpos_validate(text, end, "t.json", &err) == 0);
	jsonpos_mark_init(&m, text, end);
	jsonpos_mark_advance(&m, text, start);
	ra = jsonpos_parse_at(text, &m, end, "t.json", &a, &err);
	rb = jsonpos_parse_valid_at(text, &m, end, "t.json", &b, &err);
	EXPECT(ra && rb);
	EXPECT_INT((int)a.n, (int)b.n);
	EXPECT(a.n > 0);
	{
		/* walk both trees in pre-order together */
		const cJSON *sa[600], *sb[600];
		int na = 0;

		sa[na] = ra;
		sb[na++] = rb;
		while (na > 0) {
			const cJSON *x = sa[--na], *y = sb[na];
			int l1, c1, l2, c2;
			size_t o1 = 0, o2 = 0;

			jsonpos_where(&a, x, &l1, &c1);
			jsonpos_where(&b, y, &l2, &c2);
			EXPECT_INT(l1, l2);
			EXPECT_INT(c1, c2);
			EXPECT(l1 > 0);
			jsonpos_where_key(&a, x, &l1, &c1);
			jsonpos_where_key(&b, y, &l2, &c2);
			EXPECT_INT(l1, l2);
			EXPECT_INT(c1, c2);
			EXPECT(jsonpos_offset(&a, x, &o1) && jsonpos_offset(&b, y, &o2));
			EXPECT_INT((int)o1, (int)o2);
			for (x = x->child, y = y->child; x && y && na < 598;
			     x = x->next, y = y->next) {
				sa[na] = x;
				sb[na++] = y;
			}
		}
	}
	jsonpos_free(&a);
	jsonpos_free(&b);
	cJSON_Delete(ra);
	cJSON_Delete(rb);
}

TEST(parse_valid_at_has_the_same_positions)
{
	same_positions("{\"a\": 1, \"b\" :\n [true, false, null, -1.5e3,"
		       " \"x\\\"y\\\\\"],\r\n\t\"c\":{}, \"d\":[], "
		       "\"\u00e9t\u00e9\": \"caf\u00e9\", \"e\":[[],{\"f\":"
		       "\"\\\\\"}]\n}\n", 0);
	same_positions("\xEF\xBB\xBF[ {\"k\":\"v\"} ,\n  {\"n\" : [1,2 ,3]} ]", 3);
	same_positions("[{\"a\":\"b\"},\n  {\"x\":\n\n   {\"y\": \"z\"}}]", 0);
}

/* Every node of a large document is found where it starts, and a node of
 * another document is not found (the index is a hash set of nodes). */
TEST(every_node_of_many_is_found_at_its_line)
{
	enum { N = 3000 };
	struct sbuf b = {0};
	struct jsonpos pos;
	struct hd_error err = {{0}};
	cJSON *root, *other = cJSON_CreateObject();
	size_t wrong = 0, i = 0;
	int line, col;

	sbuf_add(&b, "[\n");
	for (int k = 0; k < N; k++)
		sbuf_addf(&b, "%s{\"k\": %d}\n", k ? "," : " ", k);
	sbuf_add(&b, "]\n");
	root = jsonpos_parse(b.s, 0, b.len, "t.json", &pos, &err);
	EXPECT(root != NULL);
	for (const cJSON *e = root ? root->child : NULL; e; e = e->next, i++) {
		/* element k is on line k + 2: "{" at column 2, its member's name
		 * at 3 and value at 8 */
		jsonpos_where(&pos, e, &line, &col);
		wrong += line != (int)i + 2 || col != 2;
		jsonpos_where(&pos, e->child, &line, &col);
		wrong += line != (int)i + 2 || col != 8;
		jsonpos_where_key(&pos, e->child, &line, &col);
		wrong += line != (int)i + 2 || col != 3;
	}
	EXPECT_INT(i, N);
	EXPECT_INT(wrong, 0);
	jsonpos_where(&pos, other, &line, &col);
	EXPECT_INT(line, 0);
	jsonpos_where(&pos, NULL, &line, &col);
	EXPECT_INT(line, 0);
	cJSON_Delete(other);
	cJSON_Delete(root);
	jsonpos_free(&pos);
	sbuf_free(&b);
}

/* jsonpos_tree_valid(text, 0, len) is cJSON_ParseWithLength(text, len)
 * for valid text, node for node (tree_same.h). */
static bool tree_agrees(const char *text, size_t len)
{
	cJSON *a = cJSON_ParseWithLength(text, len);
	cJSON *b = jsonpos_tree_valid(text, 0, len);
	bool same = a && b && tree_same(a, b);

	if (!same)
		printf("  tree differs for: %.200s\n", text);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return same;
}

TEST(tree_valid_is_cjsons_tree)
{
	static const char *docs[] = {
		"{}", "[]", "\"\"", "0", "-0", "true", "false", "null",
		"  {\"a\" : 1 }  ",
		"{\"a\": 1, \"b\":[true, false, null, -1.5e3, 0.5, 1E+2, 3e-2]}",
		"[2147483647, 2147483648, -2147483648, -2147483649, 1e308,"
		" 1e309, -1e309, 4.9e-324, 1e-400, 123456789012345678901234]",
		/* 62 digits: the builder's own; 63 and 70: cJSON's parse */
		"[12345678901234567890123456789012345678901234567890123456789012]",
		"[123456789012345678901234567890123456789012345678901234567890123]",
		"{\"n\":1234567890123456789012345678901234567890123456789012345678901234567890}",
		"[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"]",
		"[\"\\u0041\\u00e9\\u20AC\\uD83D\\uDE00 \\u0000tail\", \"\\u007f\\u0080\\u07FF\\u0800\\uFFFF\"]",
		"{\"caf\u00e9\": \"\u00e9t\u00e9 \xF0\x9F\x98\x80\", \"k\\u00e9y\": []}",
		"{\"dup\": 1, \"dup\": 2, \"dup\": {\"x\": [[], {}, [[[]]]]}}",
		"[\n\t{\"a\":\r\n\"b\"}\t,\n {\"c\": [1,\n2 , 3 ] } ]",
		"[1, \"two\", {\"three\": [3]}, [4, [5, [6]]], null, true]",
		"\xEF\xBB\xBF [\"a BOM first\"]",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct hd_error err = {{0}};

		EXPECT(jsonpos_validate(docs[i], strlen(docs[i]), "t.json",
					&err) == 0);
		EXPECT(tree_agrees(docs[i], strlen(docs[i])));
	}
}

/* The same over every JSON file of the repository that validates. */
TEST(tree_valid_is_cjsons_tree_for_the_repositorys_files)
{
	static const char *patterns[] = {
		"docs/examples/*.json", "tests/cases/*.json",
		"tests/cases/*/*.json", "tests/fuzz/corpus/fuzz_hook/*",
		"tests/data/*.json", "tests/data/*/*.json", "checks/*.json",
	};
	size_t files = 0, valid = 0;

	for (size_t p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
		glob_t g;

		if (glob(patterns[p], 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct hd_error err = {{0}};
			size_t len;
			char *text = read_file_all(g.gl_pathv[i], &len, &err);

			files++;
			memset(&err, 0, sizeof(err));
			if (text && jsonpos_validate(text, len, "t.json",
						     &err) == 0) {
				valid++;
				EXPECT(tree_agrees(text, len));
			}
			free(text);
		}
		globfree(&g);
	}
	EXPECT(files > 50);
	EXPECT(valid > 30);
}

/* And over random documents: nesting, every escape, raw UTF-8, numbers
 * of every shape and length, whitespace anywhere. */
static unsigned long rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rnd_state >> 33) % n;
}

static void rnd_ws(struct sbuf *b)
{
	static const char *ws[] = {"", "", " ", "\n", "\t", "\r\n  "};

	sbuf_add(b, ws[rnd(6)]);
}

static void rnd_string(struct sbuf *b)
{
	static const char *parts[] = {
		"a", "Z", "0", " ", "\\\"", "\\\\", "\\/", "\\b", "\\f",
		"\\n", "\\r", "\\t", "\\u0000", "\\u001f", "\\u00E9",
		"\\u07ff", "\\u0800", "\\uffff", "\\uD800\\uDC00",
		"\\udbff\\udfff", "\xC3\xA9", "\xE2\x82\xAC",
		"\xF0\x9F\x98\x80", "{{ action.id }}", "ghp_"};
	unsigned n = rnd(8);

	sbuf_addc(b, '"');
	for (unsigned i = 0; i < n; i++)
		sbuf_add(b, parts[rnd(sizeof(parts) / sizeof(parts[0]))]);
	sbuf_addc(b, '"');
}

static void rnd_number(struct sbuf *b)
{
	unsigned digits = rnd(40) == 0 ? 40 + rnd(40) : 1 + rnd(12);

	if (rnd(2))
		sbuf_addc(b, '-');
	sbuf_addc(b, (char)('1' + rnd(9)));
	for (unsigned i = 1; i < digits; i++)
		sbuf_addc(b, (char)('0' + rnd(10)));
	if (rnd(3) == 0) {
		sbuf_addc(b, '.');
		for (unsigned i = 0, n = 1 + rnd(20); i < n; i++)
			sbuf_addc(b, (char)('0' + rnd(10)));
	}
	if (rnd(3) == 0)
		sbuf_addf(b, "%c%s%u", rnd(2) ? 'e' : 'E',
			  rnd(3) == 0 ? "-" : rnd(2) ? "+" : "", rnd(400));
}

static void rnd_value(struct sbuf *b, int depth)
{
	unsigned k = rnd(depth > 6 ? 6 : 8);

	rnd_ws(b);
	if (k < 6) {
		switch (k) {
		case 0: case 1: rnd_string(b); break;
		case 2: case 3: rnd_number(b); break;
		case 4: sbuf_add(b, rnd(2) ? "true" : "false"); break;
		default: sbuf_add(b, rnd(2) ? "null" : "0"); break;
		}
	} else {
		bool obj = k == 7;
		unsigned n = rnd(5);

		sbuf_addc(b, obj ? '{' : '[');
		for (unsigned i = 0; i < n; i++) {
			if (i)
				sbuf_addc(b, ',');
			if (obj) {
				rnd_ws(b);
				rnd_string(b);
				rnd_ws(b);
				sbuf_addc(b, ':');
			}
			rnd_value(b, depth + 1);
		}
		rnd_ws(b);
		sbuf_addc(b, obj ? '}' : ']');
	}
	rnd_ws(b);
}

TEST(tree_valid_is_cjsons_tree_for_random_documents)
{
	size_t wrong = 0, valid = 0;

	for (int i = 0; i < 3000; i++) {
		struct sbuf b = {0};
		struct hd_error err = {{0}};

		rnd_value(&b, 0);
		if (jsonpos_validate(b.s, b.len, "t.json", &err) == 0) {
			valid++;
			wrong += !tree_agrees(b.s, b.len);
		}
		sbuf_free(&b);
	}
	EXPECT(valid == 3000);
	EXPECT_INT(wrong, 0);
}

/* A slice: the element of an array, as the loader asks for it. */
TEST(tree_valid_reads_a_slice)
{
	const char *text = "[ {\"a\": [1, 2]} , \"x\" ]";
	cJSON *t = jsonpos_tree_valid(text, 2, 15);
	cJSON *c = cJSON_ParseWithLength(text + 2, 13);

	EXPECT(t && c && tree_same(t, c));
	EXPECT(cJSON_IsObject(t));
	cJSON_Delete(t);
	cJSON_Delete(c);
}

/* Runs of spaces of every length (skip_ws takes eight at a time) end
 * where they end: positions after 0 to 40 spaces, and after tabs, CRs and
 * spaces mixed. */
TEST(positions_after_runs_of_spaces_of_any_length)
{
	size_t wrong = 0;

	for (int k = 0; k <= 40; k++) {
		struct sbuf b = {0};
		struct jsonpos pos;
		struct hd_error err = {{0}};
		cJSON *root;
		int line, col;

		sbuf_addf(&b, "[\n%*s1,\r\n\t%*s\"x\" ,%*s\n%*s{\"k\":%*strue}]",
			  k, "", k, "", k, "", k, "", k, "");
		EXPECT(jsonpos_validate(b.s, b.len, "t.json", &err) == 0);
		root = jsonpos_parse(b.s, 0, b.len, "t.json", &pos, &err);
		EXPECT(root != NULL);
		if (!root) {
			sbuf_free(&b);
			continue;
		}
		jsonpos_where(&pos, root->child, &line, &col);
		wrong += line != 2 || col != k + 1;
		jsonpos_where(&pos, root->child->next, &line, &col);
		wrong += line != 3 || col != k + 2;
		jsonpos_where(&pos, root->child->next->next, &line, &col);
		wrong += line != 4 || col != k + 1;
		jsonpos_where(&pos, root->child->next->next->child, &line, &col);
		wrong += line != 4 || col != 2 * k + 6;
		cJSON_Delete(root);
		jsonpos_free(&pos);
		sbuf_free(&b);
	}
	EXPECT_INT(wrong, 0);
}

/* jsonpos_validate_threads() says what jsonpos_validate() says, message
 * included, of a large array: valid as it is, and with a byte changed,
 * inserted or removed anywhere (the glue between elements too). */
static void big_array(struct sbuf *b, int n, bool bom)
{
	if (bom)
		sbuf_add(b, "\xEF\xBB\xBF");
	sbuf_add(b, " [\r\n");
	for (int k = 0; k < n; k++)
		sbuf_addf(b, "%s  {\"name\": \"hook %d \\u00e9 \\\"q\\\"\", \"n\": "
			  "[%d, -1.5e3, true, null, {\"deep\": [[[]]]}],\n"
			  "   \"pad\": \"%0*d\"}", k ? ",\n" : "", k, k,
			  100 + k % 200, k);
	sbuf_add(b, "\n]\n");
}

static int same_verdict(const char *text, size_t len)
{
	struct hd_error e1 = {{0}}, e2 = {{0}};
	size_t *st, *en, *st1 = NULL, *en1 = NULL;
	int r1 = jsonpos_validate(text, len, "t.json", &e1);
	long r2 = jsonpos_validate_threads(text, len, "t.json", &e2, 4, 5000,
					   &st, &en);
	int same = 1;

	if ((r1 < 0) != (r2 < 0) || (r1 < 0 && strcmp(e1.msg, e2.msg) != 0)) {
		printf("  one thread: %d %s\n  threads:    %ld %s\n", r1,
		       e1.msg, r2, e2.msg);
		same = 0;
	}
	/* the threads' split is jsonpos_array_elements()'s */
	if (r2 > 0 && (jsonpos_array_elements(text, len, &st1, &en1, 5000) != r2 ||
		       memcmp(st, st1, (size_t)r2 * sizeof(*st)) != 0 ||
		       memcmp(en, en1, (size_t)r2 * sizeof(*en)) != 0)) {
		printf("  the split differs\n");
		same = 0;
	}
	free(st);
	free(en);
	free(st1);
	free(en1);
	return same;
}

TEST(validate_threads_agrees_with_one_thread)
{
	struct sbuf b = {0};
	size_t wrong = 0, invalid = 0;
	static const char *inserts[] = {",", "]", "}", "[", "{", "\"", "x",
					"//", "\n", "\\", " ", "\x01", "<id>"};

	big_array(&b, 1000, false);
	EXPECT(b.len > 256 * 1024);
	EXPECT(same_verdict(b.s, b.len));
	{
		struct hd_error e = {{0}};

		size_t *st, *en;

		/* valid, and split by the threads */
		EXPECT(jsonpos_validate_threads(b.s, b.len, "t.json", &e, 4,
						5000, &st, &en) == 1000);
		EXPECT(st && en && b.s[st[999]] == '{' && b.s[en[999] - 1] == '}');
		free(st);
		free(en);
	}
	for (int m = 0; m < 120; m++) {
		struct sbuf c = {0};
		size_t at = rnd((unsigned)b.len);
		const char *ins = inserts[rnd(sizeof(inserts) / sizeof(inserts[0]))];
		struct hd_error e = {{0}};

		sbuf_addn(&c, b.s, at);
		if (m % 3 == 0) {               /* insert */
			sbuf_add(&c, ins);
			sbuf_addn(&c, b.s + at, b.len - at);
		} else if (m % 3 == 1) {        /* replace */
			sbuf_add(&c, ins);
			sbuf_addn(&c, b.s + at + 1, b.len - at - 1);
		} else {                        /* remove */
			sbuf_addn(&c, b.s + at + 1, b.len - at - 1);
		}
		invalid += jsonpos_validate(c.s, c.len, "t.json", &e) < 0;
		wrong += !same_verdict(c.s, c.len);
		sbuf_free(&c);
	}
	if (invalid <= 40)
		printf("  only %zu of 120 changes made the text invalid\n", invalid);
	EXPECT(invalid > 40);
	EXPECT_INT(wrong, 0);
	sbuf_free(&b);

	/* the glue: a BOM, a trailing comma, two elements without one, a
	 * comment, text after the array, nesting at the limit */
	{
		static const char *edits[][2] = {
			{"\n]\n", "\n,]\n"}, {"\n]\n", "\n] x\n"},
			{"\n]\n", "\n]\n// end\n"}, {",\n  {\"name\": \"hook 7 ", "\n  {\"name\": \"hook 7 "},
			{",\n  {\"name\": \"hook 9 ", ", // next\n  {\"name\": \"hook 9 "},
			{"\n]\n", "\n]]\n"}, {"\n]\n", "\n"},
			/* an element the scanner ends before the splitter */
			{",\n  {\"name\": \"hook 5 ", ",\n 5\x01,\n  {\"name\": \"hook 5 "},
			{",\n  {\"name\": \"hook 6 ", ",\n true\x01 ,\n  {\"name\": \"hook 6 "},
		};

		for (size_t k = 0; k < sizeof(edits) / sizeof(edits[0]); k++) {
			struct sbuf d = {0}, c = {0};
			const char *at;

			big_array(&d, 1000, k % 2 == 0);
			at = strstr(d.s, edits[k][0]);
			EXPECT(at != NULL);
			if (at) {
				sbuf_addn(&c, d.s, (size_t)(at - d.s));
				sbuf_add(&c, edits[k][1]);
				sbuf_add(&c, at + strlen(edits[k][0]));
				EXPECT(same_verdict(c.s, c.len));
				EXPECT(jsonpos_validate(c.s, c.len, "t.json",
							&(struct hd_error){{0}}) < 0);
			}
			sbuf_free(&c);
			sbuf_free(&d);
		}
	}
	{
		struct sbuf d = {0};
		struct hd_error e = {{0}};
		size_t *st, *en;

		/* more elements than max: the one-thread scan, no split */
		big_array(&d, 1000, false);
		EXPECT(jsonpos_validate_threads(d.s, d.len, "t.json", &e, 4,
						999, &st, &en) == 0);
		EXPECT(!st && !en);
		sbuf_free(&d);
	}
	for (int depth = 510; depth <= 512; depth++) {
		struct sbuf d = {0};

		big_array(&d, 1000, false);
		d.len -= 3;             /* "\n]\n" */
		sbuf_add(&d, ",\n");
		for (int k = 0; k < depth; k++)
			sbuf_addc(&d, '[');
		for (int k = 0; k < depth; k++)
			sbuf_addc(&d, ']');
		sbuf_add(&d, "\n]\n");
		EXPECT(same_verdict(d.s, d.len));
		sbuf_free(&d);
	}
}

int main(void)
{
	RUN(accepts_valid_documents);
	RUN(every_node_of_many_is_found_at_its_line);
	RUN(names_the_guides_trailing_comma_before_brace);
	RUN(names_trailing_comma_before_bracket);
	RUN(names_a_note_comment);
	RUN(names_a_placeholder);
	RUN(names_a_placeholder_with_choices);
	RUN(names_single_quotes_and_backticks);
	RUN(names_raw_line_breaks_and_control_chars_in_strings);
	RUN(names_invalid_escapes);
	RUN(names_bad_utf8);
	RUN(names_empty_input);
	RUN(names_trailing_garbage);
	RUN(accepts_a_bom_and_does_not_count_it_in_columns);
	RUN(rejects_utf16_and_nul_bytes);
	RUN(limits_nesting_to_512);
	RUN(names_truncated_input_and_the_open_bracket);
	RUN(names_missing_commas_and_colons);
	RUN(names_non_json_numbers_and_words);
	RUN(names_typographic_quotes);
	RUN(counts_columns_in_bytes);
	RUN(lists_array_element_ranges);
	RUN(maps_nodes_to_their_positions);
	RUN(keeps_duplicate_keys_in_order);
	RUN(parses_a_slice_with_positions_in_the_whole_text);
	RUN(parse_reports_syntax_errors_with_position);
	RUN(linecol_counts_lines);
	RUN(parse_valid_at_has_the_same_positions);
	RUN(tree_valid_is_cjsons_tree);
	RUN(tree_valid_is_cjsons_tree_for_the_repositorys_files);
	RUN(tree_valid_is_cjsons_tree_for_random_documents);
	RUN(tree_valid_reads_a_slice);
	RUN(positions_after_runs_of_spaces_of_any_length);
	RUN(validate_threads_agrees_with_one_thread);
	return unit_done();
}
