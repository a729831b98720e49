// Small OpenAI fine-tuning files for the distillation tests: capital-city conversations.
const CAPITALS: [string, string][] = [
  ["France", "Paris"], ["Spain", "Madrid"], ["Italy", "Rome"], ["Germany", "Berlin"], ["Portugal", "Lisbon"], ["Greece", "Athens"],
  ["Austria", "Vienna"], ["Poland", "Warsaw"], ["Norway", "Oslo"], ["Sweden", "Stockholm"], ["Finland", "Helsinki"], ["Ireland", "Dublin"],
  ["Egypt", "Cairo"], ["Japan", "Tokyo"], ["Peru", "Lima"], ["Chile", "Santiago"], ["Kenya", "Nairobi"], ["Cuba", "Havana"],
  ["Hungary", "Budapest"], ["Denmark", "Copenhagen"],
];

export function trainingLines(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const [country, capital] = CAPITALS[(i + offset) % CAPITALS.length]!;
    return JSON.stringify({ messages: [
      { role: "system", content: "You are Atlas." },
      { role: "user", content: `What is the capital of ${country}?` },
      { role: "assistant", content: `The capital of ${country} is ${capital}.` },
    ] });
  });
}

export const jsonlFile = (lines: string[]) => lines.join("\n") + "\n";
