//===- Int16ActivationTest.cpp - TFLite's int16 LOGISTIC / TANH -----------===//
//
// Prepare's multiplier and shift, worked by hand from the formula in
// Int16Activation.h, and kernel outputs worked by hand; the outputs are also
// the real runtime's (tfjs-tflite 0.0.1-alpha.10, probed on all 65536
// inputs in session 10), so a wrong constant or rounding offset shows here.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/Int16Activation.h"

#include "gtest/gtest.h"

using namespace mlir::qapeft::numerics;
using Kind = Int16ActivationPrepare::Kind;

namespace {

TEST(Int16Activation, Table) {
  const std::array<uint16_t, 256> &t = sigmoidTableUint16();
  EXPECT_EQ(t[0], 32768); // sigmoid(0) = 0.5
  EXPECT_EQ(t[1], 33451);
  EXPECT_EQ(t[24], 47911); // sigmoid(1) = 0.7311 -> 47911.7 in TF's table
  EXPECT_EQ(t[255], 65535);
  for (size_t i = 1; i < t.size(); ++i)
    EXPECT_LE(t[i - 1], t[i]) << i; // the kernel relies on ub >= ua
}

TEST(Int16Activation, Prepare) {
  // 1/3072 * 12288 = 4, doubled 12 times to 16384 > 16383.5.
  Int16ActivationPrepare p = int16ActivationPrepare(true, 1.0f / 3072.0f);
  EXPECT_EQ(p.kind, Kind::Table);
  EXPECT_EQ(p.multiplier, 16384);
  EXPECT_EQ(p.shift, 12);
  // float(0.0005) * 12288 = 6.1440003; * 2^12 = 25165.8 -> 25165.
  p = int16ActivationPrepare(true, 0.0005f);
  EXPECT_EQ(p.multiplier, 25165);
  EXPECT_EQ(p.shift, 12);
  // float(0.0001) * 12288 = 1.2288; * 2^14 = 20132.66 -> 20132.
  p = int16ActivationPrepare(false, 0.0001f);
  EXPECT_EQ(p.kind, Kind::Table);
  EXPECT_EQ(p.multiplier, 20132);
  EXPECT_EQ(p.shift, 14);
  // Scale 2: 24576 > 16383.5 at once: shift 0, and 32768 * 24576 fits.
  p = int16ActivationPrepare(true, 2.0f);
  EXPECT_EQ(p.kind, Kind::Table);
  EXPECT_EQ(p.multiplier, 24576);
  EXPECT_EQ(p.shift, 0);
  // Scale 8: 98304, and 32768 * 98304 overflows the kernel's int32.
  EXPECT_EQ(int16ActivationPrepare(true, 8.0f).kind, Kind::Overflow);
}

TEST(Int16Activation, PowerOfTwoScales) {
  // input_left_shift = 12 + log2(s): LOGISTIC takes gemmlowp at 0 only,
  // TANH at 0 and 1.
  EXPECT_EQ(int16ActivationPrepare(true, 0x1p-12f).kind, Kind::PowerOfTwo);
  EXPECT_EQ(int16ActivationPrepare(false, 0x1p-12f).kind, Kind::PowerOfTwo);
  EXPECT_EQ(int16ActivationPrepare(false, 0x1p-11f).kind, Kind::PowerOfTwo);
  Int16ActivationPrepare p = int16ActivationPrepare(true, 0x1p-11f);
  EXPECT_EQ(p.kind, Kind::Table);
  EXPECT_EQ(p.multiplier, 24576); // 6 * 2^12
  EXPECT_EQ(p.shift, 12);
  // CheckedLog2 accepts |log2 error| < 1e-3: 2^-12 * 1.0005 is "a power of
  // two" (log2 error 7.2e-4), 2^-12 * 1.001 is not (1.44e-3).
  EXPECT_EQ(int16ActivationPrepare(true, 0x1p-12f * 1.0005f).kind,
            Kind::PowerOfTwo);
  EXPECT_EQ(int16ActivationPrepare(true, 0x1p-12f * 1.001f).kind,
            Kind::Table);
  // Other powers of two are ordinary table scales.
  EXPECT_EQ(int16ActivationPrepare(false, 0x1p-10f).kind, Kind::Table);
}

TEST(Int16Activation, LogisticByHand) {
  // Scale 1/3072: d = (x * 16384 + 2048) >> 12 = 4x.
  auto f = [](int16_t x) { return tfliteInt16Logistic(x, 16384, 12); };
  // x = 0: (32768 << 9) + 512 = 16777728, >> 10 = 16384 (0.5).
  EXPECT_EQ(f(0), 16384);
  // x = 100: d = 400, uh = 0, ut = 400:
  // 16777216 + 400 * 683 + 512 = 17050928, >> 10 = 16651.
  EXPECT_EQ(f(100), 16651);
  // x = 128: d = 512, uh = 1, ut = 0: 33451 * 512 + 512 >> 10 = 16726.
  EXPECT_EQ(f(128), 16726);
  // x = -128: 2^25 - 17126912 + 511 = 16428031, >> 10 = 16042.
  EXPECT_EQ(f(-128), 16042);
  // Saturation: d = 131068, uh = 255: (0x7FFF << 10) + 512 >> 10 = 32767;
  // negative: 2^25 - (0x7FFF << 10) + 511 = 1535, >> 10 = 1.
  EXPECT_EQ(f(32767), 32767);
  EXPECT_EQ(f(-32768), 1);
  // Runtime outputs at scale 0.0005 (M 25165, shift 12) and 0.0001
  // (M 20132, shift 14).
  EXPECT_EQ(tfliteInt16Logistic(1000, 25165, 12), 20397);
  EXPECT_EQ(tfliteInt16Logistic(-1000, 25165, 12), 12371);
  EXPECT_EQ(tfliteInt16Logistic(-1, 25165, 12), 16380);
  EXPECT_EQ(tfliteInt16Logistic(-32768, 20132, 14), 1192);
  EXPECT_EQ(tfliteInt16Logistic(32767, 20132, 14), 31576);
}

TEST(Int16Activation, TanhByHand) {
  // Scale 1/6144: 2 * 2^12 * ... = M 16384, shift 13, d = 2x.
  Int16ActivationPrepare p = int16ActivationPrepare(false, 1.0f / 6144.0f);
  ASSERT_EQ(p.kind, Kind::Table);
  EXPECT_EQ(p.multiplier, 16384);
  EXPECT_EQ(p.shift, 13);
  auto f = [](int16_t x) { return tfliteInt16Tanh(x, 16384, 13); };
  // x = 0: (32768 << 8) - 2^23 + 128 = 128, >> 8 = 0.
  EXPECT_EQ(f(0), 0);
  // x = 1: d = 2, ut = 2: 2^23 + 2 * 683 - 2^23 + 128 = 1494, >> 8 = 5.
  EXPECT_EQ(f(1), 5);
  // x = -1: -(2^23 + 1366) + 2^23 + 127 = -1239, >> 8 = floor(-4.84) = -5.
  EXPECT_EQ(f(-1), -5);
  // x = 128: d = 256, uh = 1: 33451 * 256 - 2^23 + 128 = 174976 -> 683.
  EXPECT_EQ(f(128), 683);
  EXPECT_EQ(f(-128), -683);
  // Saturation: (0xFFFF << 8) - 2^23 + 128 >> 8 = 32767, and the negative
  // side -(0xFFFF << 8) + 2^23 + 127 = -8388225 >> 8 = -32767.
  EXPECT_EQ(f(32767), 32767);
  EXPECT_EQ(f(-32768), -32767);
  // Runtime outputs at scale 0.0005 (M 25165, shift 12).
  EXPECT_EQ(tfliteInt16Tanh(1000, 25165, 12), 15143);
  EXPECT_EQ(tfliteInt16Tanh(-1000, 25165, 12), -15143);
  EXPECT_EQ(tfliteInt16Tanh(5000, 25165, 12), 32329);
  EXPECT_EQ(tfliteInt16Tanh(-1, 25165, 12), -16);
}

} // namespace
