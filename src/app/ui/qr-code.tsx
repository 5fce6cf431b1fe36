// A QR code drawn as SVG elements from uqr's module matrix (no HTML strings involved).
import { encode } from 'uqr'

export function QrCode(props: { text: string; label: string; size?: number }) {
  const { data } = encode(props.text, { ecc: 'M', border: 2 })
  const n = data.length
  const cells: preact.JSX.Element[] = []
  data.forEach((row, y) =>
    row.forEach((on, x) => {
      if (on) cells.push(<rect key={`${x},${y}`} x={x} y={y} width={1} height={1} />)
    }),
  )
  return (
    <svg
      class="qr"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${n} ${n}`}
      width={props.size ?? 240}
      height={props.size ?? 240}
      shape-rendering="crispEdges"
    >
      <rect width={n} height={n} fill="#fff" />
      <g fill="#000">{cells}</g>
    </svg>
  )
}
