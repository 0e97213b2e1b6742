/// Myers' O(ND) comparison by middle snakes (Myers 1986, §4.2), as gnulib's `diffseq.h` runs it for
/// GNU diff without `--minimal`: the forward and backward searches, their order of diagonals, and
/// the cost cap (`too_expensive`, about √(lines), at least 4096) past which it settles for a good
/// split instead of the best. Below the cap, which covers all but huge very different inputs, the
/// result is a minimal diff.
///
/// A class that owns its buffers: the search loops are the hot path of text_diff and run over raw
/// pointers, which also lets diagonals be negative indexes.
final class MyersBisection {
    private let xs: UnsafeMutablePointer<Int>
    private let ys: UnsafeMutablePointer<Int>
    /// Furthest x reached on each diagonal by the forward and the backward search, indexed by
    /// diagonal (from -(ys.count + 1) to xs.count + 1).
    private let fd: UnsafeMutablePointer<Int>
    private let bd: UnsafeMutablePointer<Int>
    private let diagonalOffset: Int
    private let tooExpensive: Int
    /// Indexes into `xs` that are deleted and into `ys` that are inserted.
    private(set) var deletions: [Int] = []
    private(set) var insertions: [Int] = []

    private struct Partition {
        var xMid: Int
        var yMid: Int
        var lowMinimal: Bool
        var highMinimal: Bool
    }

    init(_ xs: [Int], _ ys: [Int]) {
        self.xs = .allocate(capacity: max(xs.count, 1))
        self.xs.initialize(from: xs, count: xs.count)
        self.ys = .allocate(capacity: max(ys.count, 1))
        self.ys.initialize(from: ys, count: ys.count)
        let diagonals = xs.count + ys.count + 3
        diagonalOffset = ys.count + 1
        let forward = UnsafeMutablePointer<Int>.allocate(capacity: diagonals)
        forward.initialize(repeating: 0, count: diagonals)
        fd = forward + diagonalOffset
        let backward = UnsafeMutablePointer<Int>.allocate(capacity: diagonals)
        backward.initialize(repeating: 0, count: diagonals)
        bd = backward + diagonalOffset
        var cap = 1
        var remaining = diagonals
        while remaining != 0 {
            cap <<= 1
            remaining >>= 2
        }
        tooExpensive = max(4096, cap)
    }

    deinit {
        xs.deallocate()
        ys.deallocate()
        (fd - diagonalOffset).deallocate()
        (bd - diagonalOffset).deallocate()
    }

    /// Compares `xs[xLow..<xHigh]` with `ys[yLow..<yHigh]`, recording deletions and insertions.
    func compare(_ xLow: Int, _ xHigh: Int, _ yLow: Int, _ yHigh: Int, findMinimal: Bool) {
        var xLow = xLow, xHigh = xHigh, yLow = yLow, yHigh = yHigh
        while xLow < xHigh && yLow < yHigh && xs[xLow] == ys[yLow] {
            xLow += 1
            yLow += 1
        }
        while xLow < xHigh && yLow < yHigh && xs[xHigh - 1] == ys[yHigh - 1] {
            xHigh -= 1
            yHigh -= 1
        }
        if xLow == xHigh {
            insertions.append(contentsOf: yLow..<yHigh)
        } else if yLow == yHigh {
            deletions.append(contentsOf: xLow..<xHigh)
        } else {
            let part = middleSnake(xLow, xHigh, yLow, yHigh, findMinimal: findMinimal)
            compare(xLow, part.xMid, yLow, part.yMid, findMinimal: part.lowMinimal)
            compare(part.xMid, xHigh, part.yMid, yHigh, findMinimal: part.highMinimal)
        }
    }

    /// Finds the midpoint of a shortest edit script of the two ranges, whose first elements differ
    /// and whose last elements differ (`diag` in diffseq.h).
    private func middleSnake(_ xLow: Int, _ xHigh: Int, _ yLow: Int, _ yHigh: Int, findMinimal: Bool) -> Partition {
        let dMin = xLow - yHigh
        let dMax = xHigh - yLow
        let fMid = xLow - yLow
        let bMid = xHigh - yHigh
        var fMin = fMid, fMax = fMid
        var bMin = bMid, bMax = bMid
        let odd = (fMid - bMid) & 1 != 0
        fd[fMid] = xLow
        bd[bMid] = xHigh
        var cost = 1
        while true {
            defer { cost += 1 }
            if fMin > dMin {
                fMin -= 1
                fd[fMin - 1] = -1
            } else {
                fMin += 1
            }
            if fMax < dMax {
                fMax += 1
                fd[fMax + 1] = -1
            } else {
                fMax -= 1
            }
            var d = fMax
            while d >= fMin {
                let low = fd[d - 1]
                let high = fd[d + 1]
                var x = low < high ? high : low + 1
                var y = x - d
                while x < xHigh && y < yHigh && xs[x] == ys[y] {
                    x += 1
                    y += 1
                }
                fd[d] = x
                if odd && bMin <= d && d <= bMax && bd[d] <= x {
                    return Partition(xMid: x, yMid: y, lowMinimal: true, highMinimal: true)
                }
                d -= 2
            }

            if bMin > dMin {
                bMin -= 1
                bd[bMin - 1] = Int.max
            } else {
                bMin += 1
            }
            if bMax < dMax {
                bMax += 1
                bd[bMax + 1] = Int.max
            } else {
                bMax -= 1
            }
            d = bMax
            while d >= bMin {
                let low = bd[d - 1]
                let high = bd[d + 1]
                var x = low < high ? low : high - 1
                var y = x - d
                while xLow < x && yLow < y && xs[x - 1] == ys[y - 1] {
                    x -= 1
                    y -= 1
                }
                bd[d] = x
                if !odd && fMin <= d && d <= fMax && x <= fd[d] {
                    return Partition(xMid: x, yMid: y, lowMinimal: true, highMinimal: true)
                }
                d -= 2
            }

            if findMinimal || cost < tooExpensive { continue }
            return bestPartialSplit(xLow, xHigh, yLow, yHigh, forwardRange: fMin...fMax, backwardRange: bMin...bMax)
        }
    }

    /// Gives up on a minimal script: splits at the forward diagonal that got furthest (largest x+y)
    /// or the backward one that got furthest back, whichever has made more progress.
    private func bestPartialSplit(
        _ xLow: Int, _ xHigh: Int, _ yLow: Int, _ yHigh: Int, forwardRange: ClosedRange<Int>, backwardRange: ClosedRange<Int>
    ) -> Partition {
        var forwardBestSum = -1
        var forwardBestX = 0
        for d in stride(from: forwardRange.upperBound, through: forwardRange.lowerBound, by: -2) {
            var x = min(fd[d], xHigh)
            var y = x - d
            if yHigh < y {
                x = yHigh + d
                y = yHigh
            }
            if forwardBestSum < x + y {
                forwardBestSum = x + y
                forwardBestX = x
            }
        }
        var backwardBestSum = Int.max
        var backwardBestX = 0
        for d in stride(from: backwardRange.upperBound, through: backwardRange.lowerBound, by: -2) {
            var x = max(xLow, bd[d])
            var y = x - d
            if y < yLow {
                x = yLow + d
                y = yLow
            }
            if x + y < backwardBestSum {
                backwardBestSum = x + y
                backwardBestX = x
            }
        }
        if (xHigh + yHigh) - backwardBestSum < forwardBestSum - (xLow + yLow) {
            return Partition(xMid: forwardBestX, yMid: forwardBestSum - forwardBestX, lowMinimal: true, highMinimal: false)
        }
        return Partition(xMid: backwardBestX, yMid: backwardBestSum - backwardBestX, lowMinimal: false, highMinimal: true)
    }
}
