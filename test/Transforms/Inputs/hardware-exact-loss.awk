# Reads a `qapeft-sim train --log` CSV (epoch,step,samples,loss,...) of a
# two-epoch run and prints "finite and decreasing" if every loss is finite
# and the mean loss of epoch 2 is below that of epoch 1 (run with -F,).
NR > 1 {
  if ($4 != $4 + 0 || $4 ~ /nan|inf/) bad = 1
  if ($1 == 1) { a += $4; na++ } else { b += $4; nb++ }
}
END {
  if (bad || !na || !nb) { print "non-finite or missing loss"; exit 1 }
  if (b / nb < a / na) print "finite and decreasing"
  else printf "not decreasing: %f -> %f\n", a / na, b / nb
}
