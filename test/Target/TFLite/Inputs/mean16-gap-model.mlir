// A small float CNN with a global average pool for the int16 MEAN pipeline
// test (conformance-mean-int16-model.test): 28x28x1 Fashion-MNIST images,
// conv 3x3 stride 2 (4 channels) + ReLU, global average pool over 14x14,
// fully connected 4 -> 10. Pseudo-random weights (the test checks
// bit-exactness, not accuracy).
module {
  func.func @forward(%x: tensor<?x28x28x1xf32> loc("input")) -> tensor<?x10xf32> {
    %conv1_w = "tosa.const"() {values = dense<"0x55302ABE5BB1BFBC832FCCBD01DE82BDAD69DEBDA5BD413E3D2C94BE54E3253E107A16BF333373BE4CA64ABEA301DCBE228E953E9E5E69BE17B7B13E68220C3F197397BE33C4F13EC807BD3EBBB84D3E053411BF189554BD1AC01B3E355E7ABE9E5EA9BE7AC769BEFD8794BE45D8B03EB5153BBEC807BDBDE9B72F3EECC0093F925C7EBE4D150CBF5396113FD656CC3E"> : tensor<4x3x3x1xf32>} : () -> tensor<4x3x3x1xf32> loc("conv1.weight")
    %conv1_b = "tosa.const"() {values = dense<"0xD6C5ED3D075F183CF54AD9BD4D840DBE"> : tensor<4xf32>} : () -> tensor<4xf32> loc("conv1.bias")
    %conv1_izp = "tosa.const"() {values = dense<0.000000e+00> : tensor<1xf32>} : () -> tensor<1xf32> loc("conv1.input_zp")
    %conv1_wzp = "tosa.const"() {values = dense<0.000000e+00> : tensor<1xf32>} : () -> tensor<1xf32> loc("conv1.weight_zp")
    %conv1 = tosa.conv2d %x, %conv1_w, %conv1_b, %conv1_izp, %conv1_wzp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<?x28x28x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x14x14x4xf32> loc("conv1")
    %conv1_relu = tosa.clamp %conv1 {min_val = 0.000000e+00 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x14x14x4xf32>) -> tensor<?x14x14x4xf32> loc("conv1.relu")
    %gap_zp = "tosa.const"() {values = dense<0.000000e+00> : tensor<1xf32>} : () -> tensor<1xf32> loc("gap.zp")
    %gap = tosa.avg_pool2d %conv1_relu, %gap_zp, %gap_zp {acc_type = f32, kernel = array<i64: 14, 14>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x14x14x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x4xf32> loc("gap")
    %fc_w = "tosa.const"() {values = dense<"0xC05BA0BE6E3480BD6ADE31BFDC46A33EDAACBA3E197347BF2D430C3F1B2F5DBC1F852B3F2F6E23BD4547F23EE2E995BDA323393E52499DBA4A7B43BFDCD711BF3F57DBBED0B319BE863856BE499D803D5C8F823E0AD723BECFF793BE4ED1913C4772393F14AEE73E00917E3EDCD7013FDBF9DEBE4A7B23BFF0A726BF9A081BBFF90F49BFBBB84D3E1F852B3F5B421EBF6C09993E5474343F2C65D93EED0D0EBF"> : tensor<10x1x1x4xf32>} : () -> tensor<10x1x1x4xf32> loc("fc.weight")
    %fc_b = "tosa.const"() {values = dense<"0x1CEBE23C5E4B48BD26E483BD5E4BC8BDE71DA73B569FAB3D9C33A2BDBC9690BD7DAEB6BCC807BDBD"> : tensor<10xf32>} : () -> tensor<10xf32> loc("fc.bias")
    %fc_izp = "tosa.const"() {values = dense<0.000000e+00> : tensor<1xf32>} : () -> tensor<1xf32> loc("fc.input_zp")
    %fc_wzp = "tosa.const"() {values = dense<0.000000e+00> : tensor<1xf32>} : () -> tensor<1xf32> loc("fc.weight_zp")
    %fc = tosa.conv2d %gap, %fc_w, %fc_b, %fc_izp, %fc_wzp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x4xf32>, tensor<10x1x1x4xf32>, tensor<10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x10xf32> loc("fc")
    %fc_os = tosa.const_shape {values = dense<[-1, 10]> : tensor<2xindex>} : () -> !tosa.shape<2> loc("fc.unflatten.shape")
    %fc_out = tosa.reshape %fc, %fc_os : (tensor<?x1x1x10xf32>, !tosa.shape<2>) -> tensor<?x10xf32> loc("fc.unflatten")
    return %fc_out : tensor<?x10xf32>
  }
}
