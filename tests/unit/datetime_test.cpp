// Datetime parsing/formatting in PocketBase's layout.
#include <gtest/gtest.h>

#include "core/util/datetime.h"

using namespace larder::util;

TEST(DateTime, ParsesTheLayoutsPocketBaseAccepts) {
  struct Case { const char* in; const char* out; };
  const Case cases[] = {
      {"2024-02-29 10:11:12.345Z", "2024-02-29 10:11:12.345Z"},
      {"2024-02-29T10:11:12Z", "2024-02-29 10:11:12.000Z"},
      {"2024-02-29T10:11:12.123456789Z", "2024-02-29 10:11:12.123Z"},
      {"2024-02-29", "2024-02-29 00:00:00.000Z"},
      {"2024-02-29 10:11:12", "2024-02-29 10:11:12.000Z"},
      {"2024-02-29T10:11:12+02:00", "2024-02-29 08:11:12.000Z"},
      {"2024-02-29T01:11:12-0230", "2024-02-29 03:41:12.000Z"},
      {"2024-03-01 00:30:00 +01:00", "2024-02-29 23:30:00.000Z"},
      {"1970-01-01 00:00:00.000Z", "1970-01-01 00:00:00.000Z"},
      {"1969-12-31 23:59:59.999Z", "1969-12-31 23:59:59.999Z"},
      {"0001-01-01 00:00:00.000Z", "0001-01-01 00:00:00.000Z"},
  };
  for (const auto& c : cases) {
    auto dt = parse_datetime(c.in);
    ASSERT_TRUE(dt) << c.in;
    EXPECT_EQ(format_datetime(*dt), c.out) << c.in;
  }
}

TEST(DateTime, RejectsWhatIsNotADate) {
  for (const char* bad : {"", "2024", "2024-13-01", "2023-02-29", "2024-02-30", "2024-02-29 25:00:00", "2024-02-29T10:11",
                          "2024-02-29 10:11:12.Z", "2024-02-29 10:11:12junk", "abc", "1700000000", "2024/02/29"}) {
    EXPECT_FALSE(parse_datetime(bad)) << bad;
  }
}

TEST(DateTime, CivilFields) {
  auto dt = parse_datetime("2026-11-23 07:08:09.010Z");
  ASSERT_TRUE(dt);
  CivilTime c = to_civil(*dt);
  EXPECT_EQ(c.year, 2026);
  EXPECT_EQ(c.month, 11);
  EXPECT_EQ(c.day, 23);
  EXPECT_EQ(c.hour, 7);
  EXPECT_EQ(c.weekday, 1);  // a Monday
  EXPECT_EQ(format_datetime(from_civil(2026, 11, 23, 7, 8, 9, 10)), "2026-11-23 07:08:09.010Z");
}
