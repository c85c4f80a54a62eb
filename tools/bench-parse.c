/*
 * tools/bench-parse.c - the floors `make bench` compares the offline check
 * with. tools/bench.sh builds it into build/bench/parse-only.
 *
 *   parse-only FILE...
 *	read each file and parse it with cJSON, nothing else (no
 *	validation, no positions, no checks, no output); prints the number
 *	of elements of each. Given a hook and the rule files under
 *	checks/, it is the JSON a one-hook run cannot avoid reading.
 *
 *   parse-only --print REPORT
 *	parse REPORT (not timed), then print the tree again with cJSON, as
 *	compactly, into a buffer already of its size (so no reallocation
 *	is counted), and write it to stdout. The print and the write are
 *	timed; stderr gets one line "print CPU_S WALL_S". Given the check's
 *	own JSON report, it is what writing that report costs with the
 *	library SPEC.md names for JSON, whoever decides its contents.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The tree of the JSON file at path, and its size in bytes when size is
 * not NULL; exit 2 with a line on stderr when it cannot be read or is not
 * JSON. */
static cJSON *parse_file(const char *path, size_t *size)
{
	FILE *f;
	char *text;
	long len;
	cJSON *root;

	if (!(f = fopen(path, "rb"))) {
		fprintf(stderr, "parse-only: cannot open %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "parse-only: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	text[len] = '\0';
	root = cJSON_ParseWithLength(text, (size_t)len);
	free(text);
	if (!root) {
		fprintf(stderr, "parse-only: %s is not JSON\n", path);
		exit(2);
	}
	if (size)
		*size = (size_t)len;
	return root;
}

static double seconds(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int print_report(const char *path)
{
	size_t size;
	cJSON *root = parse_file(path, &size);
	double cpu0, wall0;
	char *buf;
	int room;

	/* Room for the compact text and its NUL: the size of the file and a
	 * margin (cJSON asks for 5 bytes more than it needs). That is enough
	 * for a report hookdoctor wrote, which cJSON prints back shorter (no
	 * whitespace, the same escapes, integers as written). Other JSON
	 * can print longer than it was written (1e9 is printed 1000000000);
	 * cJSON then stops at the end of the room and this says so, exit 2. */
	if (size > (size_t)0x7ffffff0) {
		fprintf(stderr, "parse-only: %s is too large to print\n", path);
		return 2;
	}
	room = (int)size + 64;
	if (!(buf = malloc((size_t)room))) {
		fprintf(stderr, "parse-only: out of memory\n");
		return 2;
	}
	cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
	wall0 = seconds(CLOCK_MONOTONIC);
	if (!cJSON_PrintPreallocated(root, buf, room, 0)) {
		fprintf(stderr, "parse-only: %s prints longer than it is written: "
				"cJSON ran out of room\n", path);
		free(buf);
		cJSON_Delete(root);
		return 2;
	}
	fwrite(buf, 1, strlen(buf), stdout);
	fflush(stdout);
	fprintf(stderr, "print %.6f %.6f\n", seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0,
		seconds(CLOCK_MONOTONIC) - wall0);
	free(buf);
	cJSON_Delete(root);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--print") == 0)
		return print_report(argv[2]);
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: parse-only FILE...\n"
				"       parse-only --print REPORT\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		cJSON *root = parse_file(argv[i], NULL);

		printf("%d\n", cJSON_IsArray(root) ? cJSON_GetArraySize(root) : 1);
		cJSON_Delete(root);
	}
	return 0;
}
