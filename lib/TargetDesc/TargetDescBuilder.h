//===- TargetDescBuilder.h - fill a TargetDesc (library-private) -*- C++
//-*-===//
//
// The YAML reader and the attribute reader both build a TargetDesc field by
// field; this friend gives them access without making the fields public.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_LIB_TARGETDESC_TARGETDESCBUILDER_H
#define QAPEFT_LIB_TARGETDESC_TARGETDESCBUILDER_H

#include "qapeft/TargetDesc/TargetDesc.h"

namespace mlir {
namespace qapeft {

class TargetDescBuilder {
public:
  explicit TargetDescBuilder(TargetDesc &t) : t(t) {}
  std::string &name() { return t.name; }
  std::string &description() { return t.description; }
  RoundingMode &rounding() { return t.rounding; }
  Saturation &saturation() { return t.saturation; }
  UnsupportedOpPolicy &unsupported() { return t.unsupported; }
  llvm::SmallVector<Precision, 4> &precisions() { return t.precisions; }
  Precision &defaultPrecision() { return t.defaultPrecision; }
  std::map<Precision, RoleSet> &defaults() { return t.defaults; }
  bool &opListed() { return t.opListed; }
  std::map<std::string, OpDesc> &ops() { return t.ops; }

private:
  TargetDesc &t;
};

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_LIB_TARGETDESC_TARGETDESCBUILDER_H
