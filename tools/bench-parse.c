/*
 * tools/bench-parse.c - the floor `make bench` compares the offline check
 * with: read a hook file and parse it with cJSON, nothing else (no
 * validation, no positions, no checks, no output). tools/bench.sh builds
 * it into build/bench/parse-only and times it beside hookdoctor.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	FILE *f;
	char *text;
	long len;
	cJSON *root;
	int n;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: parse-only FILE\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "parse-only: cannot read %s\n", argv[1]);
		return 2;
	}
	fclose(f);
	text[len] = '\0';
	root = cJSON_ParseWithLength(text, (size_t)len);
	if (!root) {
		fprintf(stderr, "parse-only: %s is not JSON\n", argv[1]);
		return 2;
	}
	n = cJSON_IsArray(root) ? cJSON_GetArraySize(root) : 1;
	printf("%d\n", n);
	cJSON_Delete(root);
	free(text);
	return 0;
}
