//===- TFLiteExportTest.cpp - structure of exported TFLite models ---------===//
//
// Reads exported models back through the generated schema API (independent
// of the importer) and checks what a runtime relies on: operator codes and
// versions, per-channel quantization axes, bias types and scales, buffer
// deduplication and alignment, the signature and the metadata.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Target/TFLite.h"
#include "qapeft/Target/TFLite/tflite_generated.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;

namespace {

/// A per-channel 1x1 conv (2 -> 2 channels, multiplier 0.5 everywhere) on
/// `in`, yielding `out`; `w` picks the weight values.
std::string conv1x1(const std::string &in, const std::string &out,
                    const std::string &w, const std::string &name) {
  return "  %" + out + "_w = \"tosa.const\"() {values = dense<" + w +
         "> : tensor<2x1x1x2xi8>, qapeft.scale = [0.5 : f32, 1.0 : f32], "
         "qapeft.zero_point = [0, 0]} : () -> tensor<2x1x1x2xi8>\n"
         "  %" + out + "_b = \"tosa.const\"() {values = dense<[1, -1]> : "
         "tensor<2xi32>} : () -> tensor<2xi32>\n"
         "  %" + out + "_zp = \"tosa.const\"() {values = dense<0> : "
         "tensor<1xi8>} : () -> tensor<1xi8>\n"
         "  %" + out + "_acc = tosa.conv2d %" + in + ", %" + out + "_w, %" +
         out + "_b, %" + out + "_zp, %" + out + "_zp {acc_type = i32, "
         "dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = "
         "array<i64: 1, 1>} : (tensor<?x2x2x2xi8>, tensor<2x1x1x2xi8>, "
         "tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x2xi32> "
         "loc(\"" + name + "\")\n"
         // s_in = 0.5, s_w = [0.5, 1], s_out = 0.5: M = [0.5, 1.0].
         "  %" + out + "_m = \"tosa.const\"() {values = dense<[1073741824, "
         "1073741824]> : tensor<2xi32>} : () -> tensor<2xi32>\n"
         "  %" + out + "_s = \"tosa.const\"() {values = dense<[31, 30]> : "
         "tensor<2xi8>} : () -> tensor<2xi8>\n"
         "  %" + out + "_rzp = \"tosa.const\"() {values = dense<0> : "
         "tensor<1xi32>} : () -> tensor<1xi32>\n"
         "  %" + out + " = tosa.rescale %" + out + "_acc, %" + out + "_m, %" +
         out + "_s, %" + out + "_rzp, %" + out + "_zp {scale32 = true, "
         "rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = "
         "false, output_unsigned = false, qapeft.scale = [0.5 : f32], "
         "qapeft.zero_point = [0]} : (tensor<?x2x2x2xi32>, tensor<2xi32>, "
         "tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x2xi8>\n";
}

const char *kHeader =
    "func.func @forward(%x: tensor<?x2x2x2xi8> {qapeft.scale = [0.5 : f32], "
    "qapeft.zero_point = [0]}) -> tensor<?x2x2x2xi8> {\n";

class TFLiteExportTest : public ::testing::Test {
protected:
  TFLiteExportTest() {
    context.loadDialect<tosa::TosaDialect, func::FuncDialect>();
  }

  /// Exports `source`; returns the bytes, or "" with the diagnostics in
  /// `errors` on failure.
  std::string exportModel(const std::string &source, int64_t batch = 1) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      errors += d.str() + "\n";
      return success();
    });
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return "";
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    qapeft::TFLiteExportOptions options;
    options.batch = batch;
    options.targetName = "unit-test";
    if (failed(qapeft::exportToTFLite(*module, os, options)))
      return "";
    return bytes;
  }

  const tflite::Model *verified(const std::string &bytes) {
    // Copy to 16-byte aligned storage, as a runtime's mmap would be.
    storage.assign((bytes.size() + 15) / 16, {});
    std::memcpy(storage.data(), bytes.data(), bytes.size());
    flatbuffers::Verifier verifier(
        reinterpret_cast<const uint8_t *>(storage.data()), bytes.size());
    EXPECT_TRUE(tflite::ModelBufferHasIdentifier(storage.data()));
    EXPECT_TRUE(tflite::VerifyModelBuffer(verifier));
    return tflite::GetModel(storage.data());
  }

  MLIRContext context;
  std::string errors;
  struct alignas(16) Block {
    unsigned char b[16];
  };
  std::vector<Block> storage;
};

TEST_F(TFLiteExportTest, TwoConvsShareTheirWeightBuffer) {
  std::string src = kHeader + conv1x1("x", "a", "[[[[1, 2]]], [[[3, 4]]]]", "a") +
                    conv1x1("a", "b", "[[[[1, 2]]], [[[3, 4]]]]", "b") +
                    "  return %b : tensor<?x2x2x2xi8>\n}\n";
  std::string bytes = exportModel(src, /*batch=*/2);
  ASSERT_FALSE(bytes.empty()) << errors;
  const tflite::Model *model = verified(bytes);
  EXPECT_EQ(model->version(), 3u);
  ASSERT_EQ(model->subgraphs()->size(), 1u);
  const tflite::SubGraph *g = model->subgraphs()->Get(0);

  // One operator code (CONV_2D v3) used twice.
  ASSERT_EQ(model->operator_codes()->size(), 1u);
  const tflite::OperatorCode *code = model->operator_codes()->Get(0);
  EXPECT_EQ(code->builtin_code(), tflite::BuiltinOperator::CONV_2D);
  EXPECT_EQ(code->deprecated_builtin_code(), 3);
  EXPECT_EQ(code->version(), 3);
  ASSERT_EQ(g->operators()->size(), 2u);

  const tflite::Operator *a = g->operators()->Get(0);
  const tflite::Operator *b = g->operators()->Get(1);
  const tflite::Tensor *wa = g->tensors()->Get(a->inputs()->Get(1));
  const tflite::Tensor *wb = g->tensors()->Get(b->inputs()->Get(1));
  // Distinct tensors, one deduplicated buffer; the biases share one too.
  EXPECT_NE(a->inputs()->Get(1), b->inputs()->Get(1));
  EXPECT_EQ(wa->buffer(), wb->buffer());
  EXPECT_EQ(g->tensors()->Get(a->inputs()->Get(2))->buffer(),
            g->tensors()->Get(b->inputs()->Get(2))->buffer());
  // Buffers: sentinel, weight, bias, min_runtime_version, description.
  EXPECT_EQ(model->buffers()->size(), 5u);
  EXPECT_EQ(model->buffers()->Get(0)->data(), nullptr);

  // Per-channel weight quantization on the OHWI output axis.
  EXPECT_EQ(wa->type(), tflite::TensorType::INT8);
  ASSERT_EQ(wa->quantization()->scale()->size(), 2u);
  EXPECT_EQ(wa->quantization()->quantized_dimension(), 0);
  EXPECT_FLOAT_EQ(wa->quantization()->scale()->Get(1), 1.0f);

  // int32 bias, scale s_in * s_w per channel, zero point 0.
  const tflite::Tensor *bias = g->tensors()->Get(a->inputs()->Get(2));
  EXPECT_EQ(bias->type(), tflite::TensorType::INT32);
  EXPECT_FLOAT_EQ(bias->quantization()->scale()->Get(0), 0.25f);
  EXPECT_FLOAT_EQ(bias->quantization()->scale()->Get(1), 0.5f);
  EXPECT_EQ(bias->quantization()->zero_point()->Get(1), 0);

  // --batch fixes the dynamic dimension.
  const tflite::Tensor *in = g->tensors()->Get(g->inputs()->Get(0));
  EXPECT_EQ(in->shape()->Get(0), 2);
  EXPECT_EQ(in->name()->str(), "tensor0");

  // Constant data is 16-byte aligned inside the file.
  for (const tflite::Buffer *buf : *model->buffers()) {
    if (!buf->data())
      continue;
    uintptr_t offset = reinterpret_cast<uintptr_t>(buf->data()->data()) -
                       reinterpret_cast<uintptr_t>(storage.data());
    EXPECT_EQ(offset % 16, 0u);
  }

  // Conv options: VALID, stride 1, no fused activation.
  const tflite::Conv2DOptions *opts = a->builtin_options_as_Conv2DOptions();
  ASSERT_NE(opts, nullptr);
  EXPECT_EQ(opts->padding(), tflite::Padding::VALID);
  EXPECT_EQ(opts->stride_w(), 1);
  EXPECT_EQ(opts->fused_activation_function(),
            tflite::ActivationFunctionType::NONE);

  // Signature and metadata.
  ASSERT_EQ(model->signature_defs()->size(), 1u);
  const tflite::SignatureDef *sig = model->signature_defs()->Get(0);
  EXPECT_EQ(sig->signature_key()->str(), "serving_default");
  EXPECT_EQ(sig->inputs()->Get(0)->name()->str(), "input_0");
  EXPECT_EQ(sig->inputs()->Get(0)->tensor_index(),
            static_cast<uint32_t>(g->inputs()->Get(0)));
  EXPECT_EQ(sig->outputs()->Get(0)->tensor_index(),
            static_cast<uint32_t>(g->outputs()->Get(0)));
  EXPECT_NE(model->description()->str().find("qapeft"), std::string::npos);
  EXPECT_NE(model->description()->str().find("unit-test"), std::string::npos);
  bool sawRuntime = false;
  for (const tflite::Metadata *m : *model->metadata()) {
    if (m->name()->str() != "min_runtime_version")
      continue;
    sawRuntime = true;
    const tflite::Buffer *buf = model->buffers()->Get(m->buffer());
    ASSERT_EQ(buf->data()->size(), 16u);
    EXPECT_EQ(std::string(reinterpret_cast<const char *>(buf->data()->data())),
              "1.14.0");
  }
  EXPECT_TRUE(sawRuntime);
}

TEST_F(TFLiteExportTest, FailureWritesNothing) {
  // Same graph, but channel 1's shift is off by one.
  std::string src = kHeader + conv1x1("x", "a", "[[[[1, 2]]], [[[3, 4]]]]", "a") +
                    "  return %a : tensor<?x2x2x2xi8>\n}\n";
  size_t at = src.find("[31, 30]");
  ASSERT_NE(at, std::string::npos);
  src.replace(at, 8, "[31, 31]");
  std::string bytes = exportModel(src);
  EXPECT_TRUE(bytes.empty());
  EXPECT_NE(errors.find("channel 1 rescales by multiplier 1073741824 shift 31"),
            std::string::npos)
      << errors;
}

} // namespace
