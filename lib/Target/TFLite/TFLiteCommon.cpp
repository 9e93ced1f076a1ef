//===- TFLiteCommon.cpp - numerics and tables shared by export/import -----===//
//
// The helpers here reproduce TFLite's own computations exactly, because the
// runtime re-derives multipliers and activation bounds from the float scales
// stored in the file; any difference would be a bit-level mismatch.
//
//===----------------------------------------------------------------------===//

#include "TFLiteCommon.h"
#include "qapeft/Target/TFLite.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;

std::pair<int32_t, int> mlir::qapeft::quantizeMultiplier(double m) {
  if (m == 0.0)
    return {0, 0};
  int shift = 0;
  const double q = std::frexp(m, &shift);
  // TfLiteRound is std::round: ties away from zero.
  int64_t qFixed = static_cast<int64_t>(std::round(q * (1LL << 31)));
  if (qFixed == (1LL << 31)) {
    qFixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  if (shift > 30) {
    shift = 30;
    qFixed = (1LL << 31) - 1;
  }
  return {static_cast<int32_t>(qFixed), shift};
}

std::pair<int32_t, int> mlir::qapeft::tfliteConvRescale(double m,
                                                        bool int16x8,
                                                        bool scale32) {
  auto [q, shift] = quantizeMultiplier(m);
  if (!int16x8)
    return {q, 31 - shift};
  // MultiplyByQuantizedMultiplier(int64_t, ...): the multiplier is rounded to
  // 16 bits and applied with a total right shift of 15 - shift.
  int32_t reduced = q < 0x7FFF0000 ? (q + (1 << 15)) >> 16 : 0x7FFF;
  if (q == 0)
    reduced = 0;
  if (!scale32)
    return {reduced, 15 - shift};
  return {reduced << 16, 31 - shift};
}

std::pair<int64_t, int64_t>
mlir::qapeft::quantizedActivationRange(int activation, float scale,
                                       int64_t zeroPoint, int64_t qmin,
                                       int64_t qmax) {
  // TFLite divides in float and rounds with std::round (half away from 0).
  auto quantize = [&](float f) {
    return zeroPoint + static_cast<int32_t>(std::round(f / scale));
  };
  switch (static_cast<tflite::ActivationFunctionType>(activation)) {
  case tflite::ActivationFunctionType::RELU:
    return {std::max(qmin, quantize(0.0f)), qmax};
  case tflite::ActivationFunctionType::RELU6:
    return {std::max(qmin, quantize(0.0f)), std::min(qmax, quantize(6.0f))};
  case tflite::ActivationFunctionType::RELU_N1_TO_1:
    return {std::max(qmin, quantize(-1.0f)), std::min(qmax, quantize(1.0f))};
  default:
    return {qmin, qmax};
  }
}

llvm::StringRef tfl::builtinName(tflite::BuiltinOperator op) {
  using B = tflite::BuiltinOperator;
  switch (op) {
  case B::ADD: return "ADD";
  case B::AVERAGE_POOL_2D: return "AVERAGE_POOL_2D";
  case B::CONCATENATION: return "CONCATENATION";
  case B::CONV_2D: return "CONV_2D";
  case B::DEPTHWISE_CONV_2D: return "DEPTHWISE_CONV_2D";
  case B::DEQUANTIZE: return "DEQUANTIZE";
  case B::FULLY_CONNECTED: return "FULLY_CONNECTED";
  case B::LOGISTIC: return "LOGISTIC";
  case B::MAX_POOL_2D: return "MAX_POOL_2D";
  case B::MUL: return "MUL";
  case B::RELU: return "RELU";
  case B::RELU_N1_TO_1: return "RELU_N1_TO_1";
  case B::RELU6: return "RELU6";
  case B::RESHAPE: return "RESHAPE";
  case B::PAD: return "PAD";
  case B::SOFTMAX: return "SOFTMAX";
  case B::TANH: return "TANH";
  case B::MEAN: return "MEAN";
  case B::SUB: return "SUB";
  case B::QUANTIZE: return "QUANTIZE";
  }
  return "";
}

llvm::StringRef tfl::minRuntimeVersion(tflite::BuiltinOperator op,
                                       int version) {
  using B = tflite::BuiltinOperator;
  struct Entry {
    B op;
    int version;
    const char *runtime;
  };
  // From TFLite's tools/versioning/runtime_version.cc, for the operator
  // versions the exporter can write.
  static const Entry table[] = {
      {B::CONV_2D, 1, "1.5.0"},          {B::CONV_2D, 2, "1.14.0"},
      {B::CONV_2D, 3, "1.14.0"},         {B::CONV_2D, 4, "2.3.0"},
      {B::DEPTHWISE_CONV_2D, 1, "1.5.0"}, {B::DEPTHWISE_CONV_2D, 2, "1.12.0"},
      {B::DEPTHWISE_CONV_2D, 3, "1.14.0"}, {B::DEPTHWISE_CONV_2D, 5, "2.3.0"},
      {B::FULLY_CONNECTED, 1, "1.5.0"},  {B::FULLY_CONNECTED, 4, "1.14.0"},
      {B::FULLY_CONNECTED, 6, "2.1.0"},  {B::RESHAPE, 1, "1.5.0"},
      {B::MAX_POOL_2D, 1, "1.5.0"},      {B::MAX_POOL_2D, 2, "1.14.0"},
      {B::MAX_POOL_2D, 3, "2.3.0"},      {B::AVERAGE_POOL_2D, 1, "1.5.0"},
      {B::AVERAGE_POOL_2D, 2, "1.14.0"}, {B::AVERAGE_POOL_2D, 3, "2.3.0"},
      {B::CONCATENATION, 1, "1.5.0"},    {B::CONCATENATION, 2, "1.14.0"},
      {B::CONCATENATION, 3, "2.3.0"},    {B::PAD, 1, "1.5.0"},
      {B::PAD, 2, "1.14.0"},             {B::PAD, 3, "2.4.0"},
      {B::QUANTIZE, 1, "1.14.0"},        {B::QUANTIZE, 2, "2.3.0"},
      {B::RELU, 1, "1.5.0"},             {B::RELU, 2, "2.1.0"},
      {B::RELU, 3, "2.5.0"},             {B::RELU6, 1, "1.5.0"},
      {B::RELU6, 2, "1.14.0"},           {B::RELU6, 3, "2.5.0"},
      {B::RELU_N1_TO_1, 1, "1.5.0"},
      {B::ADD, 1, "1.5.0"},              {B::ADD, 2, "1.14.0"},
      {B::ADD, 3, "2.4.0"},              {B::SUB, 1, "1.6.0"},
      {B::SUB, 2, "1.14.0"},             {B::SUB, 3, "2.3.0"},
      {B::SUB, 4, "2.4.0"},              {B::SUB, 5, "2.4.0"},
      {B::MUL, 1, "1.5.0"},              {B::MUL, 2, "1.14.0"},
      {B::MUL, 3, "1.15.0"},             {B::MUL, 4, "2.3.0"},
      {B::LOGISTIC, 1, "1.14.0"},        {B::LOGISTIC, 2, "1.14.0"},
      {B::LOGISTIC, 3, "2.3.0"},
      {B::TANH, 1, "1.14.0"},            {B::TANH, 2, "1.14.0"},
      {B::TANH, 3, "2.3.0"},
      {B::MEAN, 1, "1.6.0"},             {B::MEAN, 2, "1.14.0"},
      {B::MEAN, 3, "2.4.0"},
      {B::SOFTMAX, 1, "1.5.0"},          {B::SOFTMAX, 2, "1.14.0"},
      {B::SOFTMAX, 3, "2.3.0"},
      {B::DEQUANTIZE, 1, "1.13.1"},
      {B::DEQUANTIZE, 2, "1.14.0"},      {B::DEQUANTIZE, 3, "1.15.0"},
      {B::DEQUANTIZE, 4, "2.2.0"},       {B::DEQUANTIZE, 5, "2.7.0"},
  };
  for (const Entry &e : table)
    if (e.op == op && e.version == version)
      return e.runtime;
  return "";
}
