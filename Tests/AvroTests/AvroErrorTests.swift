import Avro
import Testing

@Suite struct AvroErrorTests {
    @Test func messagesSayWhatIsWrong() {
        #expect(AvroError.corrupt("bad sync marker").description == "corrupt Avro data: bad sync marker")
    }
}
