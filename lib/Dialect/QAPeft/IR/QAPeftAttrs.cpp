//===- QAPeftAttrs.cpp - qapeft attributes --------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qapeft;

#include "qapeft/Dialect/QAPeft/IR/QAPeftEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qapeft/Dialect/QAPeft/IR/QAPeftAttrs.cpp.inc"

void QAPeftDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qapeft/Dialect/QAPeft/IR/QAPeftAttrs.cpp.inc"
      >();
}

LogicalResult
QuantSchemeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        unsigned bits, IntegerType storage, bool isSigned,
                        bool symmetric, bool narrow, Granularity granularity,
                        int64_t axis, int64_t groupSize, RoundingMode,
                        RangeSource) {
  // `bits` is unsigned, so "-3" in the source arrives as 2^32 - 3; print it
  // the way it was written.
  if (bits < 2 || bits > 16)
    return emitError() << "bits must be in [2, 16], got "
                       << static_cast<int32_t>(bits);
  if (bits > storage.getWidth())
    return emitError() << bits << " bits do not fit the storage type "
                       << storage;
  // A signed/unsigned storage type must agree with the scheme; signless
  // storage (the TOSA 1.0 form) takes its meaning from `is_signed`.
  if (storage.isSigned() && !isSigned)
    return emitError() << "an unsigned scheme cannot be stored in "
                       << storage;
  if (storage.isUnsigned() && isSigned)
    return emitError() << "a signed scheme cannot be stored in " << storage;
  if (narrow && !isSigned)
    return emitError() << "narrow range needs a signed scheme";
  switch (granularity) {
  case Granularity::PerTensor:
    if (axis != -1)
      return emitError() << "a per_tensor scheme takes no axis (got "
                         << axis << ")";
    break;
  case Granularity::PerChannel:
    if (axis < 0)
      return emitError() << "a per_channel scheme needs an axis >= 0";
    break;
  case Granularity::PerGroup:
    if (axis < 0)
      return emitError() << "a per_group scheme needs an axis >= 0";
    if (groupSize < 1)
      return emitError() << "a per_group scheme needs group_size >= 1";
    break;
  }
  if (granularity != Granularity::PerGroup && groupSize != 0)
    return emitError() << "group_size is only meaningful for per_group";
  return success();
}

int64_t QuantSchemeAttr::getQMin() const {
  if (!getIsSigned())
    return 0;
  int64_t lowest = -(int64_t(1) << (getBits() - 1));
  return getNarrow() ? lowest + 1 : lowest;
}

int64_t QuantSchemeAttr::getQMax() const {
  if (!getIsSigned())
    return (int64_t(1) << getBits()) - 1;
  return (int64_t(1) << (getBits() - 1)) - 1;
}
