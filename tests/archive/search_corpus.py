"""A search corpus: sentences of the work plan in Azerbaijani, English and Russian, and
queries with the documents an analyst expects each to find (every other one is a miss).

The documents are the titles and descriptions of the 2026 spring work plan
(``examples/2026-spring-international-relations.yaml``, the project's own words for the
items of the seed reports), and sentences in the same style written for the forms the
plan lacks (``Xocalıda``, ``İstanbulda``, ``парламентской``, ``hearing``), some with
look-alike words that must not match (``Xocavənd``, ``parlamentlərarası``, ``kitabə``,
``парламентарии``, ``meet``).

What a query should find is stated as the words an analyst counts as the query word (its
forms, compared without case and diacritics), not as document ids, so each expectation
can be checked by reading it. A prefix query expects every word that begins with the
typed text.

``tests/archive/test_search_corpus.py`` checks the figures against the real PostgreSQL;
``python -m bench.archive_search`` prints them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from services.archive.adapters.log_writer import SqlArchiveWriter
from services.archive.domain.folding import fold
from services.archive.domain.records import archived
from shared.contract import CloudEvent, new_event
from shared.contract.amqp_binding import encode_structured
from shared.contract.items import ItemCreated
from shared.settings import PLANNER_SOURCE

DOCUMENTS: dict[str, tuple[str, str]] = {
    "us-congress-engagement.title.az": (
        "az",
        "ABŞ Konqresi ilə qarşılıqlı əlaqələrin dərinləşdirilməsi",
    ),
    "us-congress-engagement.title.en": (
        "en",
        "Deepening engagement with the United States Congress",
    ),
    "us-congress-engagement.title.ru": ("ru", "Углубление взаимодействия с Конгрессом США"),
    "us-congress-engagement.description.az": (
        "az",
        "8 avqust 2025-ci ildə Vaşinqtonda imzalanmış sənədlərdən sonra Azərbaycan–ABŞ münasibətlərinin yüksəldiyi yeni səviyyəyə əsaslanaraq ABŞ Konqresi ilə işgüzar əlaqələri sıxlaşdırmaq və ikitərəfli münasibətləri möhkəmləndirmək üçün məqsədyönlü addımlar toplusu.",
    ),
    "us-congress-engagement.description.en": (
        "en",
        "A set of targeted steps to build closer working ties with the US Congress and to strengthen bilateral relations, building on the higher level that Azerbaijan–US relations reached after the documents signed in Washington on 8 August 2025.",
    ),
    "us-congress-engagement.description.ru": (
        "ru",
        "Комплекс адресных шагов по налаживанию более тесных рабочих связей с Конгрессом США и укреплению двусторонних отношений с опорой на новый уровень азербайджано-американских отношений, достигнутый после подписания документов в Вашингтоне 8 августа 2025 года.",
    ),
    "international-delegations-support.title.az": (
        "az",
        "Beynəlxalq parlament təşkilatlarındakı Azərbaycan nümayəndə heyətlərinin fəaliyyətinə dəstək",
    ),
    "international-delegations-support.title.en": (
        "en",
        "Support for Azerbaijani delegations to international parliamentary organisations",
    ),
    "international-delegations-support.title.ru": (
        "ru",
        "Содействие деятельности азербайджанских делегаций в международных парламентских организациях",
    ),
    "international-delegations-support.description.az": (
        "az",
        "Milli Məclisin on beynəlxalq parlament qurumunda — APA, ATƏT PA, AŞPA, MDB PA, NATO PA, TÜRKPA, QDİƏT PA, Parlamentlərarası İttifaq, GUAM PA və Avronest PA-da — təmsil olunan nümayəndə heyətlərinin işinə dəstək verilməsi və bu qurumların hər biri ilə əməkdaşlığın genişləndirilməsi.",
    ),
    "international-delegations-support.description.en": (
        "en",
        "Backing the work of the Milli Majlis delegations in ten assemblies — APA, OSCE PA, PACE, CIS IPA, NATO PA, TURKPA, PABSEC, IPU, GUAM PA and Euronest PA — so that cooperation with each of these bodies grows.",
    ),
    "international-delegations-support.description.ru": (
        "ru",
        "Поддержка работы делегаций Милли Меджлиса в десяти международных парламентских структурах — АПА, ПА ОБСЕ, ПАСЕ, МПА СНГ, ПА НАТО, ТюркПА, ПАЧЭС, МПС, ПА ГУАМ и ПА Евронест — в целях расширения сотрудничества с каждой из них.",
    ),
    "eu-cooperation-council-recommendations.title.az": (
        "az",
        "Avropa İttifaqı–Azərbaycan Əməkdaşlıq Şurası ilə əməkdaşlığın səmərəliliyinin artırılmasına dair tövsiyələr",
    ),
    "eu-cooperation-council-recommendations.title.en": (
        "en",
        "Recommendations on more effective cooperation with the EU–Azerbaijan Cooperation Council",
    ),
    "eu-cooperation-council-recommendations.title.ru": (
        "ru",
        "Рекомендации по повышению эффективности сотрудничества с Советом сотрудничества Европейский союз — Азербайджан",
    ),
    "eu-cooperation-council-recommendations.description.az": (
        "az",
        "Milli Məclisin Avropa İttifaqı–Azərbaycan Əməkdaşlıq Şurası (Consilium) ilə əməkdaşlığını daha nəticəli etmək yollarına dair təkliflərin hazırlanması.",
    ),
    "eu-cooperation-council-recommendations.description.en": (
        "en",
        "Drafting proposals on how the Milli Majlis can make its cooperation with the EU–Azerbaijan Cooperation Council (Consilium) deliver better results.",
    ),
    "eu-cooperation-council-recommendations.description.ru": (
        "ru",
        "Подготовка предложений о том, как сделать взаимодействие Милли Меджлиса с Советом сотрудничества ЕС — Азербайджан (Consilium) более результативным.",
    ),
    "turkic-states-parliaments-ties.title.az": (
        "az",
        "Türk Dövlətləri Təşkilatına üzv ölkələrin parlamentləri ilə əlaqələrin sıxlaşdırılması",
    ),
    "turkic-states-parliaments-ties.title.en": (
        "en",
        "Closer ties with the parliaments of the Organization of Turkic States",
    ),
    "turkic-states-parliaments-ties.title.ru": (
        "ru",
        "Укрепление связей с парламентами государств Организации тюркских государств",
    ),
    "turkic-states-parliaments-ties.description.az": (
        "az",
        "“Bizim ailəmiz türk dünyasıdır” prinsipini rəhbər tutaraq TDT-yə üzv dövlətlərin qanunverici orqanları ilə münasibətlərin daha da inkişaf etdirilməsi.",
    ),
    "turkic-states-parliaments-ties.description.en": (
        "en",
        "Developing relations with the legislatures of the OTS member states further, guided by the motto “our family is the Turkic world”.",
    ),
    "turkic-states-parliaments-ties.description.ru": (
        "ru",
        "Дальнейшее развитие отношений с законодательными органами государств — членов ОТГ, исходя из принципа «Наша семья — тюркский мир».",
    ),
    "nam-pn-puic-engagement.title.az": (
        "az",
        "Qoşulmama Hərəkatının Parlament Şəbəkəsi və İƏT Parlament İttifaqı ilə əməkdaşlığın gücləndirilməsi",
    ),
    "nam-pn-puic-engagement.title.en": (
        "en",
        "Stronger engagement with the NAM Parliamentary Network and PUIC",
    ),
    "nam-pn-puic-engagement.title.ru": (
        "ru",
        "Активизация взаимодействия с Парламентской сетью Движения неприсоединения и Парламентским союзом государств — членов ОИС",
    ),
    "nam-pn-puic-engagement.description.az": (
        "az",
        "Daha fəal və çoxşaxəli parlament diplomatiyası xəttinin bir hissəsi kimi Qoşulmama Hərəkatının Parlament Şəbəkəsində və İslam Əməkdaşlıq Təşkilatına Üzv Dövlətlərin Parlament İttifaqında iştirakın fəallaşdırılması.",
    ),
    "nam-pn-puic-engagement.description.en": (
        "en",
        "Playing a more active part in the Non-Aligned Movement Parliamentary Network and in the Parliamentary Union of the OIC Member States, as part of a broader and more varied parliamentary diplomacy.",
    ),
    "nam-pn-puic-engagement.description.ru": (
        "ru",
        "Более деятельное участие в Парламентской сети Движения неприсоединения и в Парламентском союзе государств — членов Организации исламского сотрудничества как часть более широкой и многовекторной парламентской дипломатии.",
    ),
    "foreign-policy-strategic-review.title.az": (
        "az",
        "Xarici siyasət kursunun strateji istiqamətlərinin nəzərdən keçirilməsi",
    ),
    "foreign-policy-strategic-review.title.en": (
        "en",
        "Review of the strategic directions of the foreign policy course",
    ),
    "foreign-policy-strategic-review.title.ru": (
        "ru",
        "Рассмотрение стратегических направлений внешнеполитического курса",
    ),
    "foreign-policy-strategic-review.description.az": (
        "az",
        "Komitə Azərbaycan Prezidentinin müəyyən etdiyi xarici siyasət kursunun strateji xətlərini araşdırır, yeni geosiyasi və geoiqtisadi reallıqlar şəraitində qarşıda duran məqsəd və çağırışları müzakirə edir.",
    ),
    "foreign-policy-strategic-review.description.en": (
        "en",
        "The committee examines the strategic lines of the foreign policy course set by the President of Azerbaijan and discusses the goals and challenges that the new geopolitical and geo-economic realities bring.",
    ),
    "foreign-policy-strategic-review.description.ru": (
        "ru",
        "Комитет изучает стратегические линии внешнеполитического курса, определённого Президентом Азербайджана, и обсуждает цели и вызовы, связанные с новыми геополитическими и геоэкономическими реалиями.",
    ),
    "mfa-meetings.title.az": ("az", "Xarici İşlər Nazirliyinin nümayəndələri ilə görüşlər"),
    "mfa-meetings.title.en": (
        "en",
        "Meetings with representatives of the Ministry of Foreign Affairs",
    ),
    "mfa-meetings.title.ru": ("ru", "Встречи с представителями Министерства иностранных дел"),
    "mfa-meetings.description.az": (
        "az",
        "Zərurət yarandıqda Xarici İşlər Nazirliyinin nümayəndələri komitənin parlamentdəki iclaslarına dəvət olunur və müvafiq rəy, təklif və tövsiyələr barədə fikir mübadiləsi aparılır.",
    ),
    "mfa-meetings.description.en": (
        "en",
        "Whenever needed, Foreign Ministry officials are invited to committee meetings in parliament to exchange views, proposals and recommendations.",
    ),
    "mfa-meetings.description.ru": (
        "ru",
        "При необходимости представители МИД приглашаются на заседания комитета в парламенте для обмена мнениями, предложениями и рекомендациями.",
    ),
    "diaspora-committee-meetings.title.az": (
        "az",
        "Diaspora ilə İş üzrə Dövlət Komitəsinin rəhbər şəxsləri ilə görüşlər",
    ),
    "diaspora-committee-meetings.title.en": (
        "en",
        "Meetings with senior officials of the State Committee on Work with Diaspora",
    ),
    "diaspora-committee-meetings.title.ru": (
        "ru",
        "Встречи с руководством Государственного комитета по работе с диаспорой",
    ),
    "diaspora-committee-meetings.description.az": (
        "az",
        "Xaricdə yaşayan həmvətənlərimizlə və başqa ölkələrdə fəaliyyət göstərən Azərbaycan təşkilatları ilə əlaqələrin möhkəmləndirilməsi məqsədilə Dövlət Komitəsi ilə sıx əməkdaşlıq şəraitində görüşlərin təşkili.",
    ),
    "diaspora-committee-meetings.description.en": (
        "en",
        "Meetings arranged in close cooperation with the State Committee to strengthen links with Azerbaijanis living abroad and with Azerbaijani organisations active in other countries.",
    ),
    "diaspora-committee-meetings.description.ru": (
        "ru",
        "Организация встреч в тесном взаимодействии с Госкомитетом в целях укрепления связей с азербайджанцами, проживающими за рубежом, и с действующими в других странах азербайджанскими организациями.",
    ),
    "liberated-territories-awareness.title.az": (
        "az",
        "Təcavüzün nəticələri və bərpa olunmuş ərazi bütövlüyü barədə beynəlxalq məlumatlandırma",
    ),
    "liberated-territories-awareness.title.en": (
        "en",
        "International awareness of the aftermath of aggression and of restored territorial integrity",
    ),
    "liberated-territories-awareness.title.ru": (
        "ru",
        "Международное информирование о последствиях агрессии и восстановлении территориальной целостности",
    ),
    "liberated-territories-awareness.description.az": (
        "az",
        "Regiondakı yeni reallıqlara uyğun olaraq işğaldan azad edilmiş ərazilərdə Ermənistanın hərbi təcavüzünün ağır fəsadları və Azərbaycanın ərazi bütövlüyünün bərpası barədə dünya ictimaiyyətinin məlumatlandırılması.",
    ),
    "liberated-territories-awareness.description.en": (
        "en",
        "In line with the new situation in the region, telling international audiences about the grave legacy of the Armenian military aggression in the territories freed from occupation and about Azerbaijan having restored its territorial integrity.",
    ),
    "liberated-territories-awareness.description.ru": (
        "ru",
        "С учётом новых реалий в регионе — доведение до мировой общественности информации о тяжёлых последствиях военной агрессии Армении на освобождённых от оккупации территориях и о восстановлении территориальной целостности Азербайджана.",
    ),
    "justice-for-khojaly-campaign.title.az": (
        "az",
        "“Xocalıya Ədalət” beynəlxalq təşviqat kampaniyası",
    ),
    "justice-for-khojaly-campaign.title.en": (
        "en",
        "“Justice for Khojaly” international advocacy campaign",
    ),
    "justice-for-khojaly-campaign.title.ru": (
        "ru",
        "Международная кампания «Справедливость для Ходжалы»",
    ),
    "justice-for-khojaly-campaign.description.az": (
        "az",
        "Kampaniya çərçivəsində Xocalı soyqırımı haqqında həqiqətlərin dünya birliyinə çatdırılması və bu faciənin Azərbaycan xalqına qarşı soyqırımı aktı kimi tanınması istiqamətində məqsədyönlü işin davam etdirilməsi.",
    ),
    "justice-for-khojaly-campaign.description.en": (
        "en",
        "Carrying on the focused work under the campaign to make the truth about the Khojaly genocide known worldwide and to press for the tragedy to be recognised as an act of genocide against the Azerbaijani people.",
    ),
    "justice-for-khojaly-campaign.description.ru": (
        "ru",
        "Продолжение целенаправленной работы в рамках кампании по донесению до мирового сообщества правды о Ходжалинском геноциде и по признанию этой трагедии актом геноцида против азербайджанского народа.",
    ),
    "working-groups-and-delegations-meetings.title.az": (
        "az",
        "Parlamentlərarası işçi qrupları və beynəlxalq parlament təşkilatlarının nümayəndə heyətləri ilə görüşlər",
    ),
    "working-groups-and-delegations-meetings.title.en": (
        "en",
        "Meetings with parliamentary working groups and delegations of international parliamentary organisations",
    ),
    "working-groups-and-delegations-meetings.title.ru": (
        "ru",
        "Встречи с парламентскими рабочими группами и делегациями международных парламентских организаций",
    ),
    "working-groups-and-delegations-meetings.description.az": (
        "az",
        "Parlamentlərarası əməkdaşlığı daha da inkişaf etdirmək və beynəlxalq fəaliyyətin əsas istiqamətləri üzrə köməklik göstərmək üçün parlament işçi qrupları və beynəlxalq parlament təşkilatlarının nümayəndə heyətləri ilə görüşlərin keçirilməsi.",
    ),
    "working-groups-and-delegations-meetings.description.en": (
        "en",
        "Holding meetings with parliamentary working groups and with delegations of international parliamentary organisations, to take inter-parliamentary cooperation further and to assist on the main lines of international work.",
    ),
    "working-groups-and-delegations-meetings.description.ru": (
        "ru",
        "Проведение встреч с парламентскими рабочими группами и делегациями международных парламентских организаций для дальнейшего развития межпарламентского сотрудничества и содействия по ключевым направлениям международной деятельности.",
    ),
    "national-interests-hearings.title.az": (
        "az",
        "Azərbaycanın milli maraqlarının regionda və dünyada müdafiəsinə dair dinləmələr",
    ),
    "national-interests-hearings.title.en": (
        "en",
        "Hearings on defending Azerbaijan's national interests in the region and worldwide",
    ),
    "national-interests-hearings.title.ru": (
        "ru",
        "Слушания по защите национальных интересов Азербайджана в регионе и в мире",
    ),
    "national-interests-hearings.description.az": (
        "az",
        "Azərbaycanın milli maraqlarının həm regionda, həm də qlobal miqyasda peşəkar və səmərəli şəkildə qorunmasına töhfə verəcək müvafiq dinləmələrin təşkili.",
    ),
    "national-interests-hearings.description.en": (
        "en",
        "Organising hearings that help the country stand up for its national interests competently and effectively, both in the region and on the global stage.",
    ),
    "national-interests-hearings.description.ru": (
        "ru",
        "Организация соответствующих слушаний, способствующих профессиональной и эффективной защите национальных интересов Азербайджана как в регионе, так и на глобальном уровне.",
    ),
    "extra.xocalida.az": (
        "az",
        "Komitə üzvləri Xocalıda törədilmiş soyqırımı barədə xarici həmkarlarına məlumat verdilər.",
    ),
    "extra.xocalinin.az": ("az", "Xocalının faciəsinə həsr olunmuş sərgi İstanbulda açıldı."),
    "extra.istanbula.az": ("az", "Nümayəndə heyəti aprel ayında İstanbula səfər edəcək."),
    "extra.istanbulun.az": (
        "az",
        "TÜRKPA-nın növbəti iclası İstanbulun tarixi mərkəzində keçiriləcək.",
    ),
    "extra.komitesi.az": (
        "az",
        "Parlamentin Beynəlxalq münasibətlər komitəsi yeni hesabatı təsdiq etdi.",
    ),
    "extra.komitenin.az": (
        "az",
        "Komitənin sədri Diaspor təşkilatlarının rəhbərləri ilə görüş keçirdi.",
    ),
    "extra.diaspora.az": (
        "az",
        "Diaspora ilə iş üzrə Dövlət Komitəsinin nümayəndələri ilə görüşlərin qrafiki təsdiqləndi.",
    ),
    "extra.dinlemeler.az": (
        "az",
        "Komitədə milli maraqların müdafiəsinə dair dinləmələr keçiriləcək.",
    ),
    "extra.xocavend.az": ("az", "Xocavənd rayonunda bərpa işləri davam edir."),
    "extra.parlamentlerarasi.az": (
        "az",
        "Parlamentlərarası əlaqələr üzrə işçi qrupunun iclası martda olacaq.",
    ),
    "extra.dovletcilik.az": (
        "az",
        "Azərbaycan dövlətçiliyinin tarixi mövzusunda dinləmə keçiriləcək.",
    ),
    "extra.kitab.az": ("az", "Komitənin illik hesabatı kitab şəklində nəşr olunacaq."),
    "extra.kitabe.az": ("az", "Qədim kitabə Milli Tarix Muzeyinə təhvil verildi."),
    "extra.turkiyeye.az": ("az", "Komitənin nümayəndə heyəti Türkiyəyə rəsmi səfər edəcək."),
    "extra.turkiye.az": ("az", "Türkiyə ilə parlamentlərarası dostluq qrupu yeni rəhbərini seçdi."),
    "extra.turk.az": ("az", "Türk dünyası ilə parlament əlaqələri genişlənir."),
    "extra.diasporamizin.az": ("az", "Diasporamızın nümayəndələri Bakıya dəvət olunub."),
    "extra.konqresinde.az": ("az", "ABŞ Konqresində Xocalıdakı faciə ilə bağlı dinləmə keçirilib."),
    "extra.hesabatdir.az": (
        "az",
        "Bu sənəd Avropa Şurasındakı həmkarlarımızla birgə hazırlanmış hesabatdır.",
    ),
    "extra.desteyi.az": ("az", "Komitə diaspora təşkilatlarına dəstəyi artırmağı tövsiyə edir."),
    "extra.parlamentine.az": ("az", "Məktub Avropa Parlamentinə və ATƏT PA-ya göndərildi."),
    "extra.olkemizin.az": ("az", "Ölkəmizin ərazi bütövlüyü beynəlxalq hüquqla tanınıb."),
    "extra.hearings.en": ("en", "The committee held two hearings on the Khojaly genocide."),
    "extra.hearing.en": ("en", "A hearing with diaspora organisations is planned for March."),
    "extra.meet.en": (
        "en",
        "Delegates will meet the Speaker of the Turkish parliament in Istanbul.",
    ),
    "extra.heart.en": ("en", "Baku lies at the heart of the region's transport routes."),
    "extra.parlamentskoy.ru": ("ru", "Делегация парламентской ассамблеи ОБСЕ посетила Баку."),
    "extra.parlament.ru": (
        "ru",
        "Парламент Азербайджана принял обращение в связи с годовщиной трагедии в Ходжалы.",
    ),
    "extra.slushaniya.ru": ("ru", "Комитет провёл слушания о работе с диаспорой."),
    "extra.parlamentarii.ru": ("ru", "Парламентарии из Турции прибыли в Баку."),
    "extra.vstrechi.ru": ("ru", "Встречи с представителями МИД пройдут в марте."),
}


@dataclass(frozen=True)
class CorpusQuery:
    language: str
    """``az``, ``en``, ``ru``, or ``prefix`` for search as you type (any language)."""
    text: str
    forms: tuple[tuple[str, ...], ...]
    """Per word of the query, the words it should find (written as in the documents)."""

    @property
    def prefix(self) -> bool:
        """Typed as you go: the last word finds every word it begins (no forms listed)."""
        return self.language == "prefix"


def _same(*words: str) -> tuple[tuple[str, ...], ...]:
    return (words,)


XOCALI = ("Xocalı", "Xocalıda", "Xocalıdakı", "Xocalının", "Xocalıya")
ISTANBUL = ("İstanbula", "İstanbulda", "İstanbulun", "Istanbul")
KOMITE = ("Komitə", "Komitədə", "komitənin", "komitəsi", "Komitəsinin")
PARLAMENT_RU = (
    "Парламент", "парламенте", "парламентами", "парламентским", "парламентскими",
    "парламентских", "парламентской", "парламентском", "Парламентская",
)  # fmt: skip
AZERBAIJAN_RU = (
    "Азербайджан", "Азербайджана", "азербайджанскими", "азербайджанских",
    "азербайджанского", "азербайджано",
)  # fmt: skip

AZ = (
    CorpusQuery("az", "xocali", _same(*XOCALI)),
    CorpusQuery("az", "Xocalının", _same(*XOCALI)),
    CorpusQuery("az", "xocalinin", _same(*XOCALI)),
    CorpusQuery("az", "istanbul", _same(*ISTANBUL)),
    CorpusQuery("az", "İstanbulda", _same(*ISTANBUL)),
    CorpusQuery("az", "komitə", _same(*KOMITE)),
    CorpusQuery("az", "komitesinin", _same(*KOMITE)),
    CorpusQuery(
        "az",
        "parlament",
        _same("parlament", "parlamentdəki", "parlamentin", "Parlamentinə", "parlamentləri"),
    ),
    CorpusQuery(
        "az",
        "əməkdaşlıq",
        _same("əməkdaşlıq", "əməkdaşlığı", "əməkdaşlığın", "əməkdaşlığını"),
    ),
    CorpusQuery("az", "nümayəndə", _same("nümayəndə", "nümayəndələri")),
    CorpusQuery("az", "dinləmə", _same("dinləmə", "dinləmələr", "dinləmələrin")),
    CorpusQuery("az", "görüş", _same("görüş", "görüşlər", "görüşlərin")),
    CorpusQuery("az", "diaspora", _same("Diaspora", "Diaspor", "Diasporamızın")),
    CorpusQuery("az", "dövlət", _same("Dövlət", "dövlətləri", "dövlətlərin")),
    CorpusQuery(
        "az",
        "təşkilat",
        _same(
            "təşkilatları", "təşkilatlarına", "təşkilatlarındakı", "təşkilatlarının", "Təşkilatına"
        ),
    ),
    CorpusQuery("az", "Azərbaycan", _same("Azərbaycan", "Azərbaycanın")),
    CorpusQuery("az", "ölkə", _same("ölkələrdə", "ölkələrin", "Ölkəmizin")),
    CorpusQuery(
        "az",
        "münasibət",
        _same("münasibətlər", "münasibətləri", "münasibətlərin", "münasibətlərinin"),
    ),
    CorpusQuery("az", "ərazi", _same("ərazi", "ərazilərdə")),
    CorpusQuery("az", "kampaniya", _same("kampaniya", "kampaniyası")),
    CorpusQuery("az", "soyqırımı", _same("soyqırımı")),
    CorpusQuery("az", "kitab", _same("kitab")),
    CorpusQuery("az", "hesabat", _same("hesabatı", "hesabatdır")),
    CorpusQuery("az", "tövsiyə", _same("tövsiyə", "tövsiyələr")),
    CorpusQuery("az", "maraq", _same("maraqların", "maraqlarının")),
    CorpusQuery("az", "fəaliyyət", _same("fəaliyyət", "fəaliyyətin", "fəaliyyətinə")),
    CorpusQuery("az", "iclas", _same("iclaslarına", "iclası")),
    CorpusQuery("az", "türk", _same("türk")),
    CorpusQuery("az", "Türkiyə", _same("Türkiyə", "Türkiyəyə")),
    CorpusQuery("az", "konqres", _same("Konqresi", "Konqresində")),
    CorpusQuery("az", "Bakı", _same("Bakıya")),
    CorpusQuery("az", "dəstək", _same("dəstək", "dəstəyi")),
    CorpusQuery("az", "həmkar", _same("həmkarlarına", "həmkarlarımızla")),
    CorpusQuery("az", "şura", _same("şurası", "Şurasındakı")),
    CorpusQuery("az", "əlaqə", _same("əlaqələr", "əlaqələri", "əlaqələrin")),
    CorpusQuery("az", "dünya", _same("dünya", "dünyada", "dünyası", "dünyasıdır")),
    CorpusQuery("az", "Xocalı soyqırımı", (XOCALI, ("soyqırımı",))),
    CorpusQuery("az", "komitə dinləmə", (KOMITE, ("dinləmə", "dinləmələr", "dinləmələrin"))),
)
RU = (
    CorpusQuery("ru", "парламент", _same(*PARLAMENT_RU)),
    CorpusQuery("ru", "парламентской", _same(*PARLAMENT_RU)),
    CorpusQuery("ru", "встреча", _same("встреч", "Встречи")),
    CorpusQuery("ru", "делегация", _same("делегаций", "Делегация", "делегациями")),
    CorpusQuery("ru", "сотрудничество", _same("сотрудничества")),
    CorpusQuery("ru", "комитет", _same("Комитет", "комитета")),
    CorpusQuery("ru", "слушания", _same("слушаний", "Слушания")),
    CorpusQuery(
        "ru",
        "организация",
        _same("организации", "организаций", "Организация", "организациями", "организациях"),
    ),
    CorpusQuery("ru", "Азербайджан", _same(*AZERBAIJAN_RU)),
    CorpusQuery("ru", "трагедия", _same("трагедии")),
)
EN = (
    CorpusQuery("en", "hearing", _same("hearing", "hearings")),
    CorpusQuery("en", "hearings", _same("hearing", "hearings")),
    CorpusQuery("en", "meeting", _same("meetings")),
    CorpusQuery("en", "delegation", _same("delegations")),
    CorpusQuery("en", "cooperation", _same("cooperation")),
    CorpusQuery("en", "khojaly", _same("Khojaly")),
    CorpusQuery("en", "genocide", _same("genocide")),
    CorpusQuery("en", "recommendation", _same("Recommendations", "recommendations")),
    CorpusQuery("en", "parliament", _same("parliament", "parliaments")),
    CorpusQuery("en", "committee", _same("committee")),
    CorpusQuery("en", "organisation", _same("organisations", "Organization")),
    CorpusQuery("en", "relation", _same("relations")),
)
PREFIX = (
    CorpusQuery("prefix", "diaspo", ((),)),
    CorpusQuery("prefix", "parlam", ((),)),
    CorpusQuery("prefix", "xoca", ((),)),
    CorpusQuery("prefix", "əməkdaş", ((),)),
    CorpusQuery("prefix", "hear", ((),)),
    CorpusQuery("prefix", "парл", ((),)),
    CorpusQuery("prefix", "milli maraq", (("Milli",), ())),
)
QUERIES = (*AZ, *RU, *EN, *PREFIX)


def words_of(text: str) -> set[str]:
    return {fold(word) for word in re.findall(r"\w+", text)}


def expected_documents(query: CorpusQuery) -> frozenset[str]:
    """The documents in which every word of the query appears in one of its forms."""
    wanted = [{fold(form) for form in forms} for forms in query.forms]
    typed = fold(query.text.split()[-1]) if query.prefix else None
    found = set()
    for key, (_, text) in DOCUMENTS.items():
        words = words_of(text)
        groups = wanted[:-1] if query.prefix else wanted
        if not all(words & group for group in groups):
            continue
        if typed is not None and not any(word.startswith(typed) for word in words):
            continue
        found.add(key)
    return frozenset(found)


def item_id(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:workplan:test:search-corpus:{key}")


def corpus_events() -> list[CloudEvent]:
    """Each document as an item whose title is its sentence, in its language (and a ref
    that says nothing)."""
    return [
        new_event(
            ItemCreated(
                item_id=item_id(key),
                committee="MM-IRIPT",
                session="2026-spring",
                ref=f"corpus-{index}",
                title={language: text},
                category="cooperation",
                status="planned",
                classification="public",
            ),
            source=PLANNER_SOURCE,
            sequence=1,
            time=CORPUS_TIME,
        )
        for index, (key, (language, text)) in enumerate(DOCUMENTS.items())
    ]


CORPUS_TIME = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


async def archive_corpus(writer: SqlArchiveWriter) -> None:
    """Write the corpus to the archive as ingest does (search documents, read models)."""
    records = [
        archived(event, body=encode_structured(event), mode="structured", received_at=CORPUS_TIME)
        for event in corpus_events()
    ]
    await writer.append(records, [r.projection for r in records if r.projection is not None])


@dataclass(frozen=True)
class Outcome:
    query: CorpusQuery
    expected: frozenset[str]
    found: frozenset[str]

    @property
    def hits(self) -> int:
        return len(self.expected & self.found)


@dataclass(frozen=True)
class Figures:
    endpoint: str
    outcomes: tuple[Outcome, ...]

    def precision(self, language: str | None = None) -> float:
        chosen = self._chosen(language)
        found = sum(len(o.found) for o in chosen)
        return sum(o.hits for o in chosen) / found if found else 1.0

    def recall(self, language: str | None = None) -> float:
        chosen = self._chosen(language)
        expected = sum(len(o.expected) for o in chosen)
        return sum(o.hits for o in chosen) / expected if expected else 1.0

    def _chosen(self, language: str | None) -> list[Outcome]:
        return [
            outcome
            for outcome in self.outcomes
            if language is None or outcome.query.language == language
        ]

    def report(self) -> str:
        lines = [
            f"{self.endpoint}: {len(self.outcomes)} queries over {len(DOCUMENTS)} documents: "
            f"precision {self.precision():.1%}, recall {self.recall():.1%}"
        ]
        for language in ("az", "en", "ru", "prefix"):
            lines.append(
                f"  {language:6} precision {self.precision(language):6.1%}"
                f"  recall {self.recall(language):6.1%}"
                f"  ({len(self._chosen(language))} queries)"
            )
        for outcome in self.outcomes:
            wrong = sorted(outcome.found - outcome.expected)
            missed = sorted(outcome.expected - outcome.found)
            if wrong or missed:
                lines.append(f"  {outcome.query.text!r}: found too {wrong}, missed {missed}")
        return "\n".join(lines)


async def evaluate(client: httpx.AsyncClient, endpoint: str = "/api/v1/search") -> Figures:
    """Ask the archive's API each query (items only) and compare with the expectations."""
    keys = {str(item_id(key)): key for key in DOCUMENTS}
    outcomes = []
    for query in QUERIES:
        params: dict[str, str | int] = {"q": query.text, "prefix": str(query.prefix).lower()}
        if endpoint.endswith("/search"):
            params |= {"kind": "item", "limit": 200}
        else:
            params |= {"type": "workplan.item.*", "limit": 1000}
        response = await client.get(endpoint, params=params)
        response.raise_for_status()
        found = {
            keys[str(row.get("item_id") or row["id"])]
            for row in response.json()
            if str(row.get("item_id") or row["id"]) in keys
        }
        outcomes.append(Outcome(query, expected_documents(query), frozenset(found)))
    return Figures(endpoint, tuple(outcomes))
