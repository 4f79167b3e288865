extension UnsafeBufferPointer where Element: Comparable {
    /// The first index in `range` whose element is not below `value`, or `range.upperBound`;
    /// the elements in `range` ascend.
    ///
    ///     [1, 3, 3, 7].withUnsafeBufferPointer { $0.lowerBound(of: 3, in: 0..<4) }  // 1
    func lowerBound(of value: Element, in range: Range<Int>) -> Int {
        var (low, high) = (range.lowerBound, range.upperBound)
        // The elements before `low` are below `value`, those from `high` on are not.
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
