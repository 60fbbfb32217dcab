// readableNumber and divergenceWarning: what every table, console line and banner shows of a value.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

#include "core/metrics/NumberFormat.h"

using centroid::divergenceWarning;
using centroid::readableNumber;

TEST(ReadableNumber, PlainDecimalsInTheEverydayRange) {
  EXPECT_EQ(readableNumber(0.523412), "0.52341");
  EXPECT_EQ(readableNumber(8.30123), "8.3012");
  EXPECT_EQ(readableNumber(12345.6), "12346");
  EXPECT_EQ(readableNumber(999999.0), "999999");
  EXPECT_EQ(readableNumber(0.001), "0.0010000");
  EXPECT_EQ(readableNumber(-0.25), "-0.25000");
  EXPECT_EQ(readableNumber(0.0), "0");
}

TEST(ReadableNumber, ScientificOutsideIt) {
  EXPECT_EQ(readableNumber(8.3e9), "8.3000e+09");
  EXPECT_EQ(readableNumber(15728453276781746010045266752700416.0), "1.5728e+34");
  EXPECT_EQ(readableNumber(1e6), "1.0000e+06");
  EXPECT_EQ(readableNumber(0.000123), "1.2300e-04");
  EXPECT_EQ(readableNumber(-4e34), "-4.0000e+34");
  EXPECT_EQ(readableNumber(DBL_MAX), "1.7977e+308");
  EXPECT_EQ(readableNumber(DBL_TRUE_MIN), "4.9407e-324");
  EXPECT_EQ(readableNumber(8.3e9, 2), "8.3e+09");
}

TEST(ReadableNumber, NeverLongerThanTwelveCharactersAtFiveDigits) {
  for (double v : {DBL_MAX, -DBL_MAX, DBL_TRUE_MIN, -DBL_TRUE_MIN, 123456.7, -999999.4, 0.0012345, -0.0012345,
                   1e-300, 3.0, -7.25e12})
    EXPECT_LE(readableNumber(v).size(), 12u) << readableNumber(v);
}

TEST(ReadableNumber, NotANumber) {
  EXPECT_EQ(readableNumber(std::nan("")), "nan");
  EXPECT_EQ(readableNumber(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(readableNumber(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(DivergenceWarning, QuietWithinThreeOrdersOfMagnitude) {
  EXPECT_EQ(divergenceWarning(0.52, 0.47, 1e-4), "");
  EXPECT_EQ(divergenceWarning(0.52, 519.0, 1e-4), "");         // 998x
  EXPECT_EQ(divergenceWarning(0.52, std::nan(""), 1e-4), "");  // a NaN stops the run instead
  EXPECT_EQ(divergenceWarning(std::nan(""), 1e9, 1e-4), "");   // no first batch yet
}

TEST(DivergenceWarning, SaysSoAndSuggestsALowerRate) {
  const std::string w = divergenceWarning(0.52, 8.3e9, 1.0);
  EXPECT_NE(w.find("0.520"), std::string::npos) << w;
  EXPECT_NE(w.find("8.30e+09"), std::string::npos) << w;
  EXPECT_NE(w.find("diverging"), std::string::npos) << w;
  EXPECT_NE(w.find("lower learning rate (now 1.00, e.g. 0.0100)"), std::string::npos) << w;
  EXPECT_NE(divergenceWarning(0.52, -1e4, 1.0), "");  // magnitude, whatever the sign
  EXPECT_NE(divergenceWarning(0.0, 1e-6, 1.0), "");   // a zero start does not divide by zero
}
