'use strict';
// acme/unit-convert: converts quantities between units of length, mass, volume, temperature, time, data,
// speed, area, pressure and energy, and lists the units it knows.
//
// Runtime protocol: one JSON object on stdin, {"tool": name, "input": {...}}; one JSON object on stdout,
// {"output": {...}} or {"error": {"message": ...}}. Node.js standard library only.

class ToolError extends Error {}

// Each unit: [symbol, name, factor to the category's base unit, ...aliases]. Exact definitions
// (international yard and pound, US customary volume, IT calorie, SI and IEC prefixes).
const CATEGORIES = [
  ['length', 'm', [
    ['m', 'metre', 1, 'meter', 'meters', 'metres'],
    ['km', 'kilometre', 1000, 'kilometer', 'kilometers', 'kilometres'],
    ['cm', 'centimetre', 0.01, 'centimeter', 'centimeters', 'centimetres'],
    ['mm', 'millimetre', 0.001, 'millimeter', 'millimeters', 'millimetres'],
    ['um', 'micrometre', 1e-6, 'µm', 'μm', 'micrometer', 'micrometers', 'micrometres', 'micron', 'microns'],
    ['nm', 'nanometre', 1e-9, 'nanometer', 'nanometers', 'nanometres'],
    ['in', 'inch', 0.0254, 'inches', '"'],
    ['ft', 'foot', 0.3048, 'feet', "'"],
    ['yd', 'yard', 0.9144, 'yards'],
    ['mi', 'mile', 1609.344, 'miles'],
    ['nmi', 'nautical mile', 1852, 'nautical miles'],
  ]],
  ['mass', 'kg', [
    ['kg', 'kilogram', 1, 'kilograms', 'kilo', 'kilos'],
    ['g', 'gram', 0.001, 'grams'],
    ['mg', 'milligram', 1e-6, 'milligrams'],
    ['t', 'tonne', 1000, 'tonnes', 'metric ton', 'metric tons'],
    ['lb', 'pound', 0.45359237, 'pounds', 'lbs'],
    ['oz', 'ounce', 0.028349523125, 'ounces'],
    ['st', 'stone', 6.35029318, 'stones'],
  ]],
  ['volume', 'l', [
    ['l', 'litre', 1, 'liter', 'liters', 'litres'],
    ['ml', 'millilitre', 0.001, 'milliliter', 'milliliters', 'millilitres'],
    ['m3', 'cubic metre', 1000, 'm³', 'cubic meter', 'cubic meters', 'cubic metres'],
    ['gal', 'US gallon', 3.785411784, 'gallon', 'gallons', 'us gallon', 'us gallons'],
    ['imp_gal', 'imperial gallon', 4.54609, 'imperial gallons', 'uk gallon', 'uk gallons'],
    ['qt', 'US quart', 0.946352946, 'quart', 'quarts'],
    ['pt', 'US pint', 0.473176473, 'pint', 'pints'],
    ['cup', 'US cup', 0.2365882365, 'cups'],
    ['floz', 'US fluid ounce', 0.0295735295625, 'fl oz', 'fluid ounce', 'fluid ounces'],
    ['tbsp', 'US tablespoon', 0.01478676478125, 'tablespoon', 'tablespoons'],
    ['tsp', 'US teaspoon', 0.00492892159375, 'teaspoon', 'teaspoons'],
  ]],
  ['temperature', 'K', [
    ['K', 'kelvin', null, 'kelvins'],
    ['C', 'degree Celsius', null, '°C', 'celsius', 'degrees celsius', 'centigrade'],
    ['F', 'degree Fahrenheit', null, '°F', 'fahrenheit', 'degrees fahrenheit'],
  ]],
  ['time', 's', [
    ['ms', 'millisecond', 0.001, 'milliseconds'],
    ['s', 'second', 1, 'sec', 'secs', 'seconds'],
    ['min', 'minute', 60, 'minutes', 'mins'],
    ['h', 'hour', 3600, 'hr', 'hrs', 'hours'],
    ['d', 'day', 86400, 'days'],
    ['wk', 'week', 604800, 'weeks'],
  ]],
  ['data', 'B', [
    ['bit', 'bit', 0.125, 'bits'],
    ['B', 'byte', 1, 'bytes'],
    ['kB', 'kilobyte', 1e3, 'kilobytes'],
    ['MB', 'megabyte', 1e6, 'megabytes'],
    ['GB', 'gigabyte', 1e9, 'gigabytes'],
    ['TB', 'terabyte', 1e12, 'terabytes'],
    ['KiB', 'kibibyte', 1024, 'kibibytes'],
    ['MiB', 'mebibyte', 1048576, 'mebibytes'],
    ['GiB', 'gibibyte', 1073741824, 'gibibytes'],
    ['TiB', 'tebibyte', 1099511627776, 'tebibytes'],
  ]],
  ['speed', 'm/s', [
    ['m/s', 'metre per second', 1, 'meters per second', 'metres per second', 'mps'],
    ['km/h', 'kilometre per hour', 1000 / 3600, 'kph', 'kmh', 'kilometers per hour', 'kilometres per hour'],
    ['mph', 'mile per hour', 0.44704, 'miles per hour', 'mi/h'],
    ['kn', 'knot', 1852 / 3600, 'knots', 'kt'],
    ['ft/s', 'foot per second', 0.3048, 'feet per second', 'fps'],
  ]],
  ['area', 'm2', [
    ['m2', 'square metre', 1, 'm²', 'sq m', 'square meter', 'square meters', 'square metres'],
    ['km2', 'square kilometre', 1e6, 'km²', 'sq km', 'square kilometer', 'square kilometers', 'square kilometres'],
    ['cm2', 'square centimetre', 1e-4, 'cm²', 'square centimeter', 'square centimeters', 'square centimetres'],
    ['ha', 'hectare', 1e4, 'hectares'],
    ['acre', 'acre', 4046.8564224, 'acres', 'ac'],
    ['ft2', 'square foot', 0.09290304, 'ft²', 'sq ft', 'square feet'],
    ['in2', 'square inch', 0.00064516, 'in²', 'sq in', 'square inches'],
    ['yd2', 'square yard', 0.83612736, 'yd²', 'sq yd', 'square yards'],
    ['mi2', 'square mile', 2589988.110336, 'mi²', 'sq mi', 'square miles'],
  ]],
  ['pressure', 'Pa', [
    ['Pa', 'pascal', 1, 'pascals'],
    ['kPa', 'kilopascal', 1e3, 'kilopascals'],
    ['MPa', 'megapascal', 1e6, 'megapascals'],
    ['bar', 'bar', 1e5, 'bars'],
    ['atm', 'standard atmosphere', 101325, 'atmosphere', 'atmospheres'],
    ['psi', 'pound per square inch', 0.45359237 * 9.80665 / (0.0254 * 0.0254), 'pounds per square inch'],
    ['mmHg', 'millimetre of mercury', 133.322387415, 'millimeters of mercury', 'torr'],
  ]],
  ['energy', 'J', [
    ['J', 'joule', 1, 'joules'],
    ['kJ', 'kilojoule', 1e3, 'kilojoules'],
    ['cal', 'calorie', 4.184, 'calories'],
    ['kcal', 'kilocalorie', 4184, 'kilocalories', 'Cal'],
    ['Wh', 'watt-hour', 3600, 'watt hour', 'watt hours', 'watt-hours'],
    ['kWh', 'kilowatt-hour', 3.6e6, 'kilowatt hour', 'kilowatt hours', 'kilowatt-hours'],
    ['BTU', 'British thermal unit', 1055.05585262, 'btu', 'british thermal units'],
  ]],
];

// A spelling is matched exactly first (symbol, name or alias: "MB", "Cal", "kph"), then ignoring case, except
// for the symbols of data units, where case carries meaning (b is a bit, B a byte). A spelling that matches
// several units when case is ignored ("CAL": cal or Cal) is refused as ambiguous.
const EXACT = new Map();
const FOLDED = new Map();
for (const [category, base, units] of CATEGORIES) {
  for (const [symbol, name, factor, ...aliases] of units) {
    const unit = { symbol, name, factor, aliases, category, base };
    for (const spelling of new Set([symbol, name, ...aliases])) {
      if (EXACT.has(spelling)) throw new Error(`duplicate unit spelling ${spelling}`);
      EXACT.set(spelling, unit);
      if (spelling === symbol && category === 'data') continue;
      const folded = spelling.toLowerCase();
      if (!FOLDED.has(folded)) FOLDED.set(folded, new Set());
      FOLDED.get(folded).add(unit);
    }
  }
}

function lookUp(spelling, field) {
  if (typeof spelling !== 'string' || spelling.trim() === '') throw new ToolError(`\`${field}\` must be a unit symbol or name`);
  const text = spelling.trim();
  const exact = EXACT.get(text);
  if (exact) return exact;
  const candidates = [...(FOLDED.get(text.toLowerCase()) ?? [])];
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    throw new ToolError(`ambiguous unit ${JSON.stringify(spelling)} in \`${field}\`: write ${candidates.map((u) => `${u.symbol} (${u.name})`).join(' or ')}`);
  }
  throw new ToolError(`unknown unit ${JSON.stringify(spelling)} in \`${field}\`; list_units shows the units`);
}

function toBase(unit, value) {
  if (unit.factor !== null) return value * unit.factor;
  if (unit.symbol === 'C') return value + 273.15;
  if (unit.symbol === 'F') return (value - 32) * 5 / 9 + 273.15;
  return value; // K
}

function fromBase(unit, value) {
  if (unit.factor !== null) return value / unit.factor;
  if (unit.symbol === 'C') return value - 273.15;
  if (unit.symbol === 'F') return (value - 273.15) * 9 / 5 + 32;
  return value; // K
}

function convertUnits(input) {
  const { value } = input;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ToolError('`value` must be a finite number');
  const precision = input.precision ?? 12;
  if (!Number.isInteger(precision) || precision < 1 || precision > 15) throw new ToolError('`precision` must be an integer from 1 to 15');
  const from = lookUp(input.from, 'from');
  const to = lookUp(input.to, 'to');
  if (from.category !== to.category) {
    throw new ToolError(`cannot convert ${from.category} (${from.symbol}) to ${to.category} (${to.symbol})`);
  }
  if (from.category === 'temperature' && toBase(from, value) < -1e-9) {
    throw new ToolError(`${value} ${from.symbol} is below absolute zero`);
  }
  const exact = fromBase(to, toBase(from, value));
  if (!Number.isFinite(exact)) throw new ToolError('the result is too large to represent');
  let result = Number(exact.toPrecision(precision)); // drops binary floating-point noise
  if (Object.is(result, -0)) result = 0;
  return {
    value,
    from: from.symbol,
    to: to.symbol,
    category: from.category,
    result,
    text: `${value} ${from.symbol} = ${result} ${to.symbol}`,
  };
}

function listUnits(input) {
  const wanted = input.category;
  if (wanted !== undefined && !CATEGORIES.some(([name]) => name === wanted)) {
    throw new ToolError(`unknown category ${JSON.stringify(wanted)}; one of: ${CATEGORIES.map(([name]) => name).join(', ')}`);
  }
  return {
    categories: CATEGORIES.filter(([name]) => wanted === undefined || name === wanted).map(([name, base, units]) => ({
      name,
      baseUnit: base,
      units: units.map(([symbol, unitName, , ...aliases]) => ({ symbol, name: unitName, aliases })),
    })),
  };
}

const TOOLS = { convert_units: convertUnits, list_units: listUnits };

function respond(response) {
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  try {
    let request;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new ToolError(`the request is not valid JSON: ${error.message}`);
    }
    if (!isObject(request)) throw new ToolError('the request must be a JSON object');
    const handler = typeof request.tool === 'string' && Object.prototype.hasOwnProperty.call(TOOLS, request.tool) ? TOOLS[request.tool] : null;
    if (!handler) throw new ToolError(`unknown tool: ${JSON.stringify(request.tool)} (this package provides: ${Object.keys(TOOLS).sort().join(', ')})`);
    const input = request.input ?? {};
    if (!isObject(input)) throw new ToolError('`input` must be a JSON object');
    respond({ output: handler(input) });
  } catch (error) {
    if (!(error instanceof ToolError)) throw error; // a bug: crash with a stack trace on stderr
    respond({ error: { message: error.message } });
  }
});
