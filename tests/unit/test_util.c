/* test_util.c - the small shared string helpers of util.c that several
 * modules lean on (case-insensitive prefix and substring). */
#include "util.h"
#include "unit.h"

TEST(prefix_ci_ignores_ascii_case_on_both_sides)
{
	EXPECT(ascii_prefix_ci("Location: /x", "location:"));
	EXPECT(ascii_prefix_ci("location: /x", "LOCATION:"));
	EXPECT(ascii_prefix_ci("Bearer abc", "bearer "));
	EXPECT(ascii_prefix_ci("anything", ""));
	EXPECT(!ascii_prefix_ci("Locat", "location:"));
	EXPECT(!ascii_prefix_ci("Basic abc", "bearer "));
}

TEST(contains_ci_finds_a_needle_anywhere)
{
	EXPECT(ascii_contains_ci("You have exceeded a Secondary Rate Limit.",
				 "secondary rate limit"));
	EXPECT(ascii_contains_ci("API rate limit exceeded", "RATE LIMIT"));
	EXPECT(ascii_contains_ci("https://GitHub.com/x", "github.com"));
	EXPECT(!ascii_contains_ci("rate limi", "rate limit"));
	EXPECT(!ascii_contains_ci("", "x"));
}

TEST(contains_ci_edges_null_hay_and_empty_needle)
{
	EXPECT(!ascii_contains_ci(NULL, "x"));
	EXPECT(!ascii_contains_ci(NULL, ""));
	EXPECT(ascii_contains_ci("", ""));
	EXPECT(ascii_contains_ci("abc", ""));
}

int main(void)
{
	RUN(prefix_ci_ignores_ascii_case_on_both_sides);
	RUN(contains_ci_finds_a_needle_anywhere);
	RUN(contains_ci_edges_null_hay_and_empty_needle);
	return unit_done();
}
