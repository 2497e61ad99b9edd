"""Parser throughput on a generated corpus of article-like French and English text.

Prints one line: ``parser throughput: X.XX MB/s (...)``. Target: 2 MB/s or more
on one core. The corpus is generated from a fixed seed, so runs are comparable.
"""

from __future__ import annotations

import random
import time

from analysis.quantities.reader import find_quantities

TARGET_MB = 5.0
SEPARATORS = [" ", "\u00a0", "\u202f", ".", ","]
FRENCH = [
    "Beijing a approuvé l'importation de plus de {n} puces H200 pour ByteDance, Alibaba et Tencent, selon Reuters le {d} janvier 2026.",
    "Les entreprises chinoises ont commandé plus de {m} millions de puces, bien au-delà des quelque {n} unités en stock.",
    "Jensen Huang avait estimé le marché chinois à {m} milliards de dollars annuels, soit environ {p} % du chiffre d'affaires.",
    "La H200 offre jusqu'à {w} fois la capacité de calcul de la H20, d'après Tencent 0700.HK et Alibaba 9988.HK.",
    "Le tarif douanier de {p} % s'applique depuis décembre 2025 ; la livraison est prévue à {h}h{mm} le {d}/01/2026.",
    "Une combinaison de processus {nm}nm et d'emballage avancé suffit pour {p} pour cent des usages, selon trois sources.",
    "Le module à huit GPU coûte environ {x},{y} millions de yuans, contre {z} 000 € en Europe.",
    "Cette décision, prise six semaines après Washington, reste conditionnelle et encadrée par des quotas.",
]
ENGLISH = [
    "China approved imports of more than {n} Nvidia H200 chips on January {d}, 2026, three people said.",
    "Chinese firms ordered over {m} million H200 chips, far above Nvidia's stock of about {n} units.",
    "Huang put the China market at ${m} billion a year; Nvidia's China revenue was US${z} billion in 2024.",
    "The H200 delivers roughly {w}x the compute of the H20, up to {p}% of which is used for training.",
    "State Grid plans to invest {x} trillion yuan (US${z}{y} billion) by 2030, the report said at {h}:{mm} a.m.",
    "Shipments of {n}-{n2} chips are planned, with {p} per cent going to ByteDance and the rest to Alibaba.",
    "The rule caps China sales at {p} percent of US volumes and requires third-party testing in the United States.",
    "Analysts at Bernstein expect Huawei to ship some {n} Ascend 910C processors, roughly {w} times last year's output.",
]


def make_corpus(target_mb: float = TARGET_MB, seed: int = 20260128) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < target_mb * 1_000_000:
        template = rng.choice(FRENCH if rng.random() < 0.5 else ENGLISH)
        thousands = rng.randint(10, 999)
        separator = rng.choice(SEPARATORS)
        sentence = template.format(
            n=f"{thousands}{separator}000",
            n2=f"{thousands + 50},000",
            m=rng.randint(1, 60),
            p=rng.randint(1, 99),
            w=rng.choice(["six", "6", "2,5", "7"]),
            d=rng.randint(1, 28),
            h=rng.randint(0, 23),
            mm=f"{rng.randint(0, 59):02d}",
            nm=rng.choice([3, 5, 7, 28]),
            x=rng.randint(1, 9),
            y=rng.randint(0, 9),
            z=rng.randint(10, 99),
        )
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
        if rng.random() < 0.15:
            parts.append("\n")
    return " ".join(parts)


def main() -> None:
    corpus = make_corpus()
    megabytes = len(corpus.encode("utf-8")) / 1_000_000
    paragraphs = corpus.split("\n")
    started = time.perf_counter()
    found = sum(len(find_quantities(paragraph)) for paragraph in paragraphs)
    seconds = time.perf_counter() - started
    print(f"parser throughput: {megabytes / seconds:.2f} MB/s ({megabytes:.2f} MB, {seconds:.2f} s, {found} quantities; target >= 2 MB/s)")


if __name__ == "__main__":
    main()
