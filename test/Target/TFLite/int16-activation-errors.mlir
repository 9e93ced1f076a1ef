// The int16 LOGISTIC / TANH chain (Int16ActivationChain.h) is exported only
// when it is exactly TFLite's kernel for the input scale written to the
// file, on TFLite's fixed output grid; otherwise an error at the chain's
// first op and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// Prepare derives multiplier 25165 (and shift 12) from input scale 0.0005;
// a chain with 25164 computes something else.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [5.000000e-04 : f32], qapeft.zero_point = [0]}) -> (tensor<1x4xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  // expected-error @+1 {{TFLite export: the int16 LOGISTIC chain is not TFLite's kernel for input scale 5.000000e-04: op 1 of the chain (%3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>) differs in its operand 1 (a constant) from the kernel's}}
  %0 = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = "tosa.const"() <{values = dense<25164> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %2 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
  %3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %4 = tosa.abs %3 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  %5 = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %6 = tosa.arithmetic_right_shift %4, %5 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %7 = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %8 = tosa.bitwise_and %4, %7 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %9 = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %10 = tosa.minimum %6, %9 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %11 = "tosa.const"() <{values = dense<"0x00800000AB82000055850000FD870000A58A0000498D0000EB8F00008992000024950000B99700004A9A0000D59C00005A9F0000D8A1000050A40000C0A6000028A9000088AB0000DFAD00002EB0000073B20000AFB40000E1B6000009B9000027BB00003BBD000044BF000043C1000037C3000020C50000FEC60000D1C8000099CA000057CC000009CE0000B1CF00004DD10000DFD2000066D40000E3D5000055D70000BDD800001ADA00006EDB0000B7DC0000F7DD00002DDF000059E000007CE1000097E20000A8E30000B0E40000B0E50000A8E6000098E700007FE800005FE9000037EA000008EB0000D2EB000095EC000051ED000007EE0000B6EE00005FEF000001F000009FF0000036F10000C8F1000054F20000DCF200005EF30000DCF3000055F40000CAF400003AF50000A6F500000EF6000072F60000D2F600002FF7000088F70000DEF7000030F800007FF80000CBF8000015F900005BF900009FF90000E0F900001EFA00005AFA000094FA0000CCFA000001FB000034FB000065FB000095FB0000C2FB0000EEFB000018FC000040FC000066FC00008CFC0000AFFC0000D1FC0000F2FC000012FD000030FD00004DFD000069FD000084FD00009EFD0000B6FD0000CEFD0000E5FD0000FBFD00000FFE000024FE000037FE000049FE00005BFE00006CFE00007DFE00008CFE00009BFE0000AAFE0000B8FE0000C5FE0000D2FE0000DEFE0000EAFE0000F5FE000000FF00000BFF000015FF00001EFF000027FF000030FF000039FF000041FF000048FF000050FF000057FF00005EFF000065FF00006BFF000071FF000077FF00007CFF000082FF000087FF00008CFF000091FF000095FF000099FF00009EFF0000A2FF0000A5FF0000A9FF0000ADFF0000B0FF0000B3FF0000B6FF0000B9FF0000BCFF0000BFFF0000C2FF0000C4FF0000C7FF0000C9FF0000CBFF0000CDFF0000D0FF0000D1FF0000D3FF0000D5FF0000D7FF0000D9FF0000DAFF0000DCFF0000DDFF0000DFFF0000E0FF0000E1FF0000E3FF0000E4FF0000E5FF0000E6FF0000E7FF0000E8FF0000E9FF0000EAFF0000EBFF0000ECFF0000EDFF0000EDFF0000EEFF0000EFFF0000F0FF0000F0FF0000F1FF0000F2FF0000F2FF0000F3FF0000F3FF0000F4FF0000F4FF0000F5FF0000F5FF0000F6FF0000F6FF0000F6FF0000F7FF0000F7FF0000F8FF0000F8FF0000F8FF0000F9FF0000F9FF0000F9FF0000F9FF0000FAFF0000FAFF0000FAFF0000FAFF0000FBFF0000FBFF0000FBFF0000FBFF0000FBFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FFFF0000"> : tensor<1x256x1xi32>}> : () -> tensor<1x256x1xi32>
  %12 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %13 = tosa.reshape %10, %12 : (tensor<1x4xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %14 = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %15 = tosa.add %13, %14 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %16 = tosa.gather %11, %13 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %17 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %18 = tosa.reshape %16, %17 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %19 = tosa.gather %11, %15 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %20 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %21 = tosa.reshape %19, %20 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %22 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %24 = tosa.mul %18, %22, %23 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %25 = tosa.sub %21, %18 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %26 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %27 = tosa.mul %8, %25, %26 : (tensor<1x4xi32>, tensor<1x4xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %28 = tosa.add %24, %27 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %29 = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %30 = tosa.greater_equal %6, %29 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %31 = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %32 = tosa.select %30, %31, %28 : (tensor<1x4xi1>, tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %33 = "tosa.const"() <{values = dense<0> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %34 = tosa.greater_equal %3, %33 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %35 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %36 = tosa.add %32, %35 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %37 = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %38 = tosa.sub %37, %32 : (tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %39 = tosa.select %34, %36, %38 : (tensor<1x4xi1>, tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %40 = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %41 = tosa.arithmetic_right_shift %39, %40 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %42 = tosa.cast %41 {qapeft.activation = "sigmoid", qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  
  return %42 : tensor<1x4xi16>
}

// -----

// The same chain with input scale 0.0001 in the file: the runtime would
// derive multiplier 20132 and shift 14.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [1.000000e-04 : f32], qapeft.zero_point = [0]}) -> (tensor<1x4xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  // expected-error @+1 {{TFLite export: the int16 LOGISTIC chain is not TFLite's kernel for input scale 1.000000e-04: op 1 of the chain}}
  %0 = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = "tosa.const"() <{values = dense<25165> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %2 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
  %3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %4 = tosa.abs %3 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  %5 = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %6 = tosa.arithmetic_right_shift %4, %5 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %7 = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %8 = tosa.bitwise_and %4, %7 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %9 = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %10 = tosa.minimum %6, %9 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %11 = "tosa.const"() <{values = dense<"0x00800000AB82000055850000FD870000A58A0000498D0000EB8F00008992000024950000B99700004A9A0000D59C00005A9F0000D8A1000050A40000C0A6000028A9000088AB0000DFAD00002EB0000073B20000AFB40000E1B6000009B9000027BB00003BBD000044BF000043C1000037C3000020C50000FEC60000D1C8000099CA000057CC000009CE0000B1CF00004DD10000DFD2000066D40000E3D5000055D70000BDD800001ADA00006EDB0000B7DC0000F7DD00002DDF000059E000007CE1000097E20000A8E30000B0E40000B0E50000A8E6000098E700007FE800005FE9000037EA000008EB0000D2EB000095EC000051ED000007EE0000B6EE00005FEF000001F000009FF0000036F10000C8F1000054F20000DCF200005EF30000DCF3000055F40000CAF400003AF50000A6F500000EF6000072F60000D2F600002FF7000088F70000DEF7000030F800007FF80000CBF8000015F900005BF900009FF90000E0F900001EFA00005AFA000094FA0000CCFA000001FB000034FB000065FB000095FB0000C2FB0000EEFB000018FC000040FC000066FC00008CFC0000AFFC0000D1FC0000F2FC000012FD000030FD00004DFD000069FD000084FD00009EFD0000B6FD0000CEFD0000E5FD0000FBFD00000FFE000024FE000037FE000049FE00005BFE00006CFE00007DFE00008CFE00009BFE0000AAFE0000B8FE0000C5FE0000D2FE0000DEFE0000EAFE0000F5FE000000FF00000BFF000015FF00001EFF000027FF000030FF000039FF000041FF000048FF000050FF000057FF00005EFF000065FF00006BFF000071FF000077FF00007CFF000082FF000087FF00008CFF000091FF000095FF000099FF00009EFF0000A2FF0000A5FF0000A9FF0000ADFF0000B0FF0000B3FF0000B6FF0000B9FF0000BCFF0000BFFF0000C2FF0000C4FF0000C7FF0000C9FF0000CBFF0000CDFF0000D0FF0000D1FF0000D3FF0000D5FF0000D7FF0000D9FF0000DAFF0000DCFF0000DDFF0000DFFF0000E0FF0000E1FF0000E3FF0000E4FF0000E5FF0000E6FF0000E7FF0000E8FF0000E9FF0000EAFF0000EBFF0000ECFF0000EDFF0000EDFF0000EEFF0000EFFF0000F0FF0000F0FF0000F1FF0000F2FF0000F2FF0000F3FF0000F3FF0000F4FF0000F4FF0000F5FF0000F5FF0000F6FF0000F6FF0000F6FF0000F7FF0000F7FF0000F8FF0000F8FF0000F8FF0000F9FF0000F9FF0000F9FF0000F9FF0000FAFF0000FAFF0000FAFF0000FAFF0000FBFF0000FBFF0000FBFF0000FBFF0000FBFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FFFF0000"> : tensor<1x256x1xi32>}> : () -> tensor<1x256x1xi32>
  %12 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %13 = tosa.reshape %10, %12 : (tensor<1x4xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %14 = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %15 = tosa.add %13, %14 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %16 = tosa.gather %11, %13 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %17 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %18 = tosa.reshape %16, %17 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %19 = tosa.gather %11, %15 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %20 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %21 = tosa.reshape %19, %20 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %22 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %24 = tosa.mul %18, %22, %23 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %25 = tosa.sub %21, %18 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %26 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %27 = tosa.mul %8, %25, %26 : (tensor<1x4xi32>, tensor<1x4xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %28 = tosa.add %24, %27 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %29 = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %30 = tosa.greater_equal %6, %29 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %31 = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %32 = tosa.select %30, %31, %28 : (tensor<1x4xi1>, tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %33 = "tosa.const"() <{values = dense<0> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %34 = tosa.greater_equal %3, %33 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %35 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %36 = tosa.add %32, %35 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %37 = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %38 = tosa.sub %37, %32 : (tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %39 = tosa.select %34, %36, %38 : (tensor<1x4xi1>, tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %40 = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %41 = tosa.arithmetic_right_shift %39, %40 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %42 = tosa.cast %41 {qapeft.activation = "sigmoid", qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  
  return %42 : tensor<1x4xi16>
}

// -----

// TFLite's int16 LOGISTIC writes scale 1/32768.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [5.000000e-04 : f32], qapeft.zero_point = [0]}) -> (tensor<1x4xi16> {qapeft.scale = [6.10351563E-5 : f32], qapeft.zero_point = [0]}) {
  %0 = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = "tosa.const"() <{values = dense<25165> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %2 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
  %3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %4 = tosa.abs %3 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  %5 = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %6 = tosa.arithmetic_right_shift %4, %5 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %7 = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %8 = tosa.bitwise_and %4, %7 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %9 = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %10 = tosa.minimum %6, %9 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %11 = "tosa.const"() <{values = dense<"0x00800000AB82000055850000FD870000A58A0000498D0000EB8F00008992000024950000B99700004A9A0000D59C00005A9F0000D8A1000050A40000C0A6000028A9000088AB0000DFAD00002EB0000073B20000AFB40000E1B6000009B9000027BB00003BBD000044BF000043C1000037C3000020C50000FEC60000D1C8000099CA000057CC000009CE0000B1CF00004DD10000DFD2000066D40000E3D5000055D70000BDD800001ADA00006EDB0000B7DC0000F7DD00002DDF000059E000007CE1000097E20000A8E30000B0E40000B0E50000A8E6000098E700007FE800005FE9000037EA000008EB0000D2EB000095EC000051ED000007EE0000B6EE00005FEF000001F000009FF0000036F10000C8F1000054F20000DCF200005EF30000DCF3000055F40000CAF400003AF50000A6F500000EF6000072F60000D2F600002FF7000088F70000DEF7000030F800007FF80000CBF8000015F900005BF900009FF90000E0F900001EFA00005AFA000094FA0000CCFA000001FB000034FB000065FB000095FB0000C2FB0000EEFB000018FC000040FC000066FC00008CFC0000AFFC0000D1FC0000F2FC000012FD000030FD00004DFD000069FD000084FD00009EFD0000B6FD0000CEFD0000E5FD0000FBFD00000FFE000024FE000037FE000049FE00005BFE00006CFE00007DFE00008CFE00009BFE0000AAFE0000B8FE0000C5FE0000D2FE0000DEFE0000EAFE0000F5FE000000FF00000BFF000015FF00001EFF000027FF000030FF000039FF000041FF000048FF000050FF000057FF00005EFF000065FF00006BFF000071FF000077FF00007CFF000082FF000087FF00008CFF000091FF000095FF000099FF00009EFF0000A2FF0000A5FF0000A9FF0000ADFF0000B0FF0000B3FF0000B6FF0000B9FF0000BCFF0000BFFF0000C2FF0000C4FF0000C7FF0000C9FF0000CBFF0000CDFF0000D0FF0000D1FF0000D3FF0000D5FF0000D7FF0000D9FF0000DAFF0000DCFF0000DDFF0000DFFF0000E0FF0000E1FF0000E3FF0000E4FF0000E5FF0000E6FF0000E7FF0000E8FF0000E9FF0000EAFF0000EBFF0000ECFF0000EDFF0000EDFF0000EEFF0000EFFF0000F0FF0000F0FF0000F1FF0000F2FF0000F2FF0000F3FF0000F3FF0000F4FF0000F4FF0000F5FF0000F5FF0000F6FF0000F6FF0000F6FF0000F7FF0000F7FF0000F8FF0000F8FF0000F8FF0000F9FF0000F9FF0000F9FF0000F9FF0000FAFF0000FAFF0000FAFF0000FAFF0000FBFF0000FBFF0000FBFF0000FBFF0000FBFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FFFF0000"> : tensor<1x256x1xi32>}> : () -> tensor<1x256x1xi32>
  %12 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %13 = tosa.reshape %10, %12 : (tensor<1x4xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %14 = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %15 = tosa.add %13, %14 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %16 = tosa.gather %11, %13 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %17 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %18 = tosa.reshape %16, %17 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %19 = tosa.gather %11, %15 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %20 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %21 = tosa.reshape %19, %20 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %22 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %24 = tosa.mul %18, %22, %23 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %25 = tosa.sub %21, %18 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %26 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %27 = tosa.mul %8, %25, %26 : (tensor<1x4xi32>, tensor<1x4xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %28 = tosa.add %24, %27 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %29 = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %30 = tosa.greater_equal %6, %29 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %31 = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %32 = tosa.select %30, %31, %28 : (tensor<1x4xi1>, tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %33 = "tosa.const"() <{values = dense<0> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %34 = tosa.greater_equal %3, %33 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %35 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %36 = tosa.add %32, %35 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %37 = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %38 = tosa.sub %37, %32 : (tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %39 = tosa.select %34, %36, %38 : (tensor<1x4xi1>, tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %40 = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %41 = tosa.arithmetic_right_shift %39, %40 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  // expected-error @+1 {{TFLite export: int16 LOGISTIC needs output scale 3.051758e-05 and zero point 0}}
  %42 = tosa.cast %41 {qapeft.activation = "sigmoid", qapeft.scale = [6.10351563E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  
  return %42 : tensor<1x4xi16>
}

// -----

// At input scale 2^-12 the runtime runs gemmlowp's kernel instead.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [2.44140625E-4 : f32], qapeft.zero_point = [0]}) -> (tensor<1x4xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  // expected-error @+1 {{TFLite export: the int16 LOGISTIC chain is not TFLite's kernel for input scale 2.441406e-04: input scale 2.441406e-04 is a power of two (2^-12) for which TFLite's int16 LOGISTIC runs gemmlowp's fixed-point kernel}}
  %0 = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = "tosa.const"() <{values = dense<25165> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %2 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
  %3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %4 = tosa.abs %3 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  %5 = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %6 = tosa.arithmetic_right_shift %4, %5 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %7 = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %8 = tosa.bitwise_and %4, %7 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %9 = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %10 = tosa.minimum %6, %9 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %11 = "tosa.const"() <{values = dense<"0x00800000AB82000055850000FD870000A58A0000498D0000EB8F00008992000024950000B99700004A9A0000D59C00005A9F0000D8A1000050A40000C0A6000028A9000088AB0000DFAD00002EB0000073B20000AFB40000E1B6000009B9000027BB00003BBD000044BF000043C1000037C3000020C50000FEC60000D1C8000099CA000057CC000009CE0000B1CF00004DD10000DFD2000066D40000E3D5000055D70000BDD800001ADA00006EDB0000B7DC0000F7DD00002DDF000059E000007CE1000097E20000A8E30000B0E40000B0E50000A8E6000098E700007FE800005FE9000037EA000008EB0000D2EB000095EC000051ED000007EE0000B6EE00005FEF000001F000009FF0000036F10000C8F1000054F20000DCF200005EF30000DCF3000055F40000CAF400003AF50000A6F500000EF6000072F60000D2F600002FF7000088F70000DEF7000030F800007FF80000CBF8000015F900005BF900009FF90000E0F900001EFA00005AFA000094FA0000CCFA000001FB000034FB000065FB000095FB0000C2FB0000EEFB000018FC000040FC000066FC00008CFC0000AFFC0000D1FC0000F2FC000012FD000030FD00004DFD000069FD000084FD00009EFD0000B6FD0000CEFD0000E5FD0000FBFD00000FFE000024FE000037FE000049FE00005BFE00006CFE00007DFE00008CFE00009BFE0000AAFE0000B8FE0000C5FE0000D2FE0000DEFE0000EAFE0000F5FE000000FF00000BFF000015FF00001EFF000027FF000030FF000039FF000041FF000048FF000050FF000057FF00005EFF000065FF00006BFF000071FF000077FF00007CFF000082FF000087FF00008CFF000091FF000095FF000099FF00009EFF0000A2FF0000A5FF0000A9FF0000ADFF0000B0FF0000B3FF0000B6FF0000B9FF0000BCFF0000BFFF0000C2FF0000C4FF0000C7FF0000C9FF0000CBFF0000CDFF0000D0FF0000D1FF0000D3FF0000D5FF0000D7FF0000D9FF0000DAFF0000DCFF0000DDFF0000DFFF0000E0FF0000E1FF0000E3FF0000E4FF0000E5FF0000E6FF0000E7FF0000E8FF0000E9FF0000EAFF0000EBFF0000ECFF0000EDFF0000EDFF0000EEFF0000EFFF0000F0FF0000F0FF0000F1FF0000F2FF0000F2FF0000F3FF0000F3FF0000F4FF0000F4FF0000F5FF0000F5FF0000F6FF0000F6FF0000F6FF0000F7FF0000F7FF0000F8FF0000F8FF0000F8FF0000F9FF0000F9FF0000F9FF0000F9FF0000FAFF0000FAFF0000FAFF0000FAFF0000FBFF0000FBFF0000FBFF0000FBFF0000FBFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FFFF0000"> : tensor<1x256x1xi32>}> : () -> tensor<1x256x1xi32>
  %12 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %13 = tosa.reshape %10, %12 : (tensor<1x4xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %14 = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %15 = tosa.add %13, %14 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %16 = tosa.gather %11, %13 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %17 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %18 = tosa.reshape %16, %17 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %19 = tosa.gather %11, %15 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %20 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %21 = tosa.reshape %19, %20 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %22 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %24 = tosa.mul %18, %22, %23 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %25 = tosa.sub %21, %18 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %26 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %27 = tosa.mul %8, %25, %26 : (tensor<1x4xi32>, tensor<1x4xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %28 = tosa.add %24, %27 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %29 = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %30 = tosa.greater_equal %6, %29 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %31 = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %32 = tosa.select %30, %31, %28 : (tensor<1x4xi1>, tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %33 = "tosa.const"() <{values = dense<0> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %34 = tosa.greater_equal %3, %33 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %35 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %36 = tosa.add %32, %35 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %37 = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %38 = tosa.sub %37, %32 : (tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %39 = tosa.select %34, %36, %38 : (tensor<1x4xi1>, tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %40 = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %41 = tosa.arithmetic_right_shift %39, %40 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %42 = tosa.cast %41 {qapeft.activation = "sigmoid", qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  
  return %42 : tensor<1x4xi16>
}

// -----

// TFLite's int16 kernels require input zero point 0.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [5.000000e-04 : f32], qapeft.zero_point = [3]}) -> (tensor<1x4xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  // expected-error @+1 {{TFLite export: int16 LOGISTIC needs input zero point 0, got 3}}
  %0 = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = "tosa.const"() <{values = dense<25165> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %2 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
  %3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %4 = tosa.abs %3 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  %5 = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %6 = tosa.arithmetic_right_shift %4, %5 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %7 = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %8 = tosa.bitwise_and %4, %7 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %9 = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %10 = tosa.minimum %6, %9 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %11 = "tosa.const"() <{values = dense<"0x00800000AB82000055850000FD870000A58A0000498D0000EB8F00008992000024950000B99700004A9A0000D59C00005A9F0000D8A1000050A40000C0A6000028A9000088AB0000DFAD00002EB0000073B20000AFB40000E1B6000009B9000027BB00003BBD000044BF000043C1000037C3000020C50000FEC60000D1C8000099CA000057CC000009CE0000B1CF00004DD10000DFD2000066D40000E3D5000055D70000BDD800001ADA00006EDB0000B7DC0000F7DD00002DDF000059E000007CE1000097E20000A8E30000B0E40000B0E50000A8E6000098E700007FE800005FE9000037EA000008EB0000D2EB000095EC000051ED000007EE0000B6EE00005FEF000001F000009FF0000036F10000C8F1000054F20000DCF200005EF30000DCF3000055F40000CAF400003AF50000A6F500000EF6000072F60000D2F600002FF7000088F70000DEF7000030F800007FF80000CBF8000015F900005BF900009FF90000E0F900001EFA00005AFA000094FA0000CCFA000001FB000034FB000065FB000095FB0000C2FB0000EEFB000018FC000040FC000066FC00008CFC0000AFFC0000D1FC0000F2FC000012FD000030FD00004DFD000069FD000084FD00009EFD0000B6FD0000CEFD0000E5FD0000FBFD00000FFE000024FE000037FE000049FE00005BFE00006CFE00007DFE00008CFE00009BFE0000AAFE0000B8FE0000C5FE0000D2FE0000DEFE0000EAFE0000F5FE000000FF00000BFF000015FF00001EFF000027FF000030FF000039FF000041FF000048FF000050FF000057FF00005EFF000065FF00006BFF000071FF000077FF00007CFF000082FF000087FF00008CFF000091FF000095FF000099FF00009EFF0000A2FF0000A5FF0000A9FF0000ADFF0000B0FF0000B3FF0000B6FF0000B9FF0000BCFF0000BFFF0000C2FF0000C4FF0000C7FF0000C9FF0000CBFF0000CDFF0000D0FF0000D1FF0000D3FF0000D5FF0000D7FF0000D9FF0000DAFF0000DCFF0000DDFF0000DFFF0000E0FF0000E1FF0000E3FF0000E4FF0000E5FF0000E6FF0000E7FF0000E8FF0000E9FF0000EAFF0000EBFF0000ECFF0000EDFF0000EDFF0000EEFF0000EFFF0000F0FF0000F0FF0000F1FF0000F2FF0000F2FF0000F3FF0000F3FF0000F4FF0000F4FF0000F5FF0000F5FF0000F6FF0000F6FF0000F6FF0000F7FF0000F7FF0000F8FF0000F8FF0000F8FF0000F9FF0000F9FF0000F9FF0000F9FF0000FAFF0000FAFF0000FAFF0000FAFF0000FBFF0000FBFF0000FBFF0000FBFF0000FBFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FFFF0000"> : tensor<1x256x1xi32>}> : () -> tensor<1x256x1xi32>
  %12 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %13 = tosa.reshape %10, %12 : (tensor<1x4xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %14 = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %15 = tosa.add %13, %14 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %16 = tosa.gather %11, %13 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %17 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %18 = tosa.reshape %16, %17 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %19 = tosa.gather %11, %15 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %20 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %21 = tosa.reshape %19, %20 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %22 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %24 = tosa.mul %18, %22, %23 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %25 = tosa.sub %21, %18 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %26 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %27 = tosa.mul %8, %25, %26 : (tensor<1x4xi32>, tensor<1x4xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %28 = tosa.add %24, %27 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %29 = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %30 = tosa.greater_equal %6, %29 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %31 = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %32 = tosa.select %30, %31, %28 : (tensor<1x4xi1>, tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %33 = "tosa.const"() <{values = dense<0> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %34 = tosa.greater_equal %3, %33 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %35 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %36 = tosa.add %32, %35 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %37 = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %38 = tosa.sub %37, %32 : (tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %39 = tosa.select %34, %36, %38 : (tensor<1x4xi1>, tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %40 = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %41 = tosa.arithmetic_right_shift %39, %40 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %42 = tosa.cast %41 {qapeft.activation = "sigmoid", qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  
  return %42 : tensor<1x4xi16>
}

// -----

// A value of the chain read by an op outside it: the chain is not one
// operator.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [5.000000e-04 : f32], qapeft.zero_point = [0]}) -> (tensor<1x4xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  // expected-error @+1 {{TFLite export: the int16 LOGISTIC chain is not TFLite's kernel for input scale 5.000000e-04: more ops depend on its first op than the kernel's 24 (a value inside the chain is used outside it, or the chain does not end with the kernel's final cast)}}
  %0 = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = "tosa.const"() <{values = dense<25165> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %2 = "tosa.const"() <{values = dense<12> : tensor<1xi8>}> : () -> tensor<1xi8>
  %3 = tosa.mul %0, %1, %2 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %4 = tosa.abs %3 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  %5 = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %6 = tosa.arithmetic_right_shift %4, %5 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %7 = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %8 = tosa.bitwise_and %4, %7 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %9 = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %10 = tosa.minimum %6, %9 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %11 = "tosa.const"() <{values = dense<"0x00800000AB82000055850000FD870000A58A0000498D0000EB8F00008992000024950000B99700004A9A0000D59C00005A9F0000D8A1000050A40000C0A6000028A9000088AB0000DFAD00002EB0000073B20000AFB40000E1B6000009B9000027BB00003BBD000044BF000043C1000037C3000020C50000FEC60000D1C8000099CA000057CC000009CE0000B1CF00004DD10000DFD2000066D40000E3D5000055D70000BDD800001ADA00006EDB0000B7DC0000F7DD00002DDF000059E000007CE1000097E20000A8E30000B0E40000B0E50000A8E6000098E700007FE800005FE9000037EA000008EB0000D2EB000095EC000051ED000007EE0000B6EE00005FEF000001F000009FF0000036F10000C8F1000054F20000DCF200005EF30000DCF3000055F40000CAF400003AF50000A6F500000EF6000072F60000D2F600002FF7000088F70000DEF7000030F800007FF80000CBF8000015F900005BF900009FF90000E0F900001EFA00005AFA000094FA0000CCFA000001FB000034FB000065FB000095FB0000C2FB0000EEFB000018FC000040FC000066FC00008CFC0000AFFC0000D1FC0000F2FC000012FD000030FD00004DFD000069FD000084FD00009EFD0000B6FD0000CEFD0000E5FD0000FBFD00000FFE000024FE000037FE000049FE00005BFE00006CFE00007DFE00008CFE00009BFE0000AAFE0000B8FE0000C5FE0000D2FE0000DEFE0000EAFE0000F5FE000000FF00000BFF000015FF00001EFF000027FF000030FF000039FF000041FF000048FF000050FF000057FF00005EFF000065FF00006BFF000071FF000077FF00007CFF000082FF000087FF00008CFF000091FF000095FF000099FF00009EFF0000A2FF0000A5FF0000A9FF0000ADFF0000B0FF0000B3FF0000B6FF0000B9FF0000BCFF0000BFFF0000C2FF0000C4FF0000C7FF0000C9FF0000CBFF0000CDFF0000D0FF0000D1FF0000D3FF0000D5FF0000D7FF0000D9FF0000DAFF0000DCFF0000DDFF0000DFFF0000E0FF0000E1FF0000E3FF0000E4FF0000E5FF0000E6FF0000E7FF0000E8FF0000E9FF0000EAFF0000EBFF0000ECFF0000EDFF0000EDFF0000EEFF0000EFFF0000F0FF0000F0FF0000F1FF0000F2FF0000F2FF0000F3FF0000F3FF0000F4FF0000F4FF0000F5FF0000F5FF0000F6FF0000F6FF0000F6FF0000F7FF0000F7FF0000F8FF0000F8FF0000F8FF0000F9FF0000F9FF0000F9FF0000F9FF0000FAFF0000FAFF0000FAFF0000FAFF0000FBFF0000FBFF0000FBFF0000FBFF0000FBFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FCFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FDFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FEFF0000FFFF0000"> : tensor<1x256x1xi32>}> : () -> tensor<1x256x1xi32>
  %12 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %13 = tosa.reshape %10, %12 : (tensor<1x4xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %14 = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %15 = tosa.add %13, %14 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %16 = tosa.gather %11, %13 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %17 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %18 = tosa.reshape %16, %17 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %19 = tosa.gather %11, %15 : (tensor<1x256x1xi32>, tensor<1x4xi32>) -> tensor<1x4x1xi32>
  %20 = tosa.const_shape  {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %21 = tosa.reshape %19, %20 : (tensor<1x4x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
  %22 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %23 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %24 = tosa.mul %18, %22, %23 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %25 = tosa.sub %21, %18 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %26 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %27 = tosa.mul %8, %25, %26 : (tensor<1x4xi32>, tensor<1x4xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %28 = tosa.add %24, %27 : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %29 = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %30 = tosa.greater_equal %6, %29 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %31 = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %32 = tosa.select %30, %31, %28 : (tensor<1x4xi1>, tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %33 = "tosa.const"() <{values = dense<0> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %34 = tosa.greater_equal %3, %33 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi1>
  %35 = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %36 = tosa.add %32, %35 : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %37 = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %38 = tosa.sub %37, %32 : (tensor<1x1xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %39 = tosa.select %34, %36, %38 : (tensor<1x4xi1>, tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %40 = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %41 = tosa.arithmetic_right_shift %39, %40 {round = false} : (tensor<1x4xi32>, tensor<1x1xi32>) -> tensor<1x4xi32>
  %42 = tosa.cast %41 {qapeft.activation = "sigmoid", qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  
  %extra = tosa.abs %4 : (tensor<1x4xi32>) -> tensor<1x4xi32>
  return %42 : tensor<1x4xi16>
}

// -----

// A chain that stops early is not the kernel.
func.func @forward(%arg0: tensor<1x4xi16> {qapeft.scale = [5.000000e-04 : f32], qapeft.zero_point = [0]}) -> (tensor<1x4xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  // expected-error @+1 {{TFLite export: the int16 TANH chain is not TFLite's kernel for input scale 5.000000e-04: the chain has 2 ops where TFLite's kernel needs 24}}
  %0 = tosa.cast %arg0 {qapeft.activation = "tanh"} : (tensor<1x4xi16>) -> tensor<1x4xi32>
  %1 = tosa.cast %0 {qapeft.activation = "tanh", qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : (tensor<1x4xi32>) -> tensor<1x4xi16>
  return %1 : tensor<1x4xi16>
}
